package io.sidstream.flink.job;

/**
 * What a Flink cluster's TaskManagers must hold to run sidstream's job jars, besides Flink itself: the libraries that
 * load native code (DJL's API and ONNX Runtime engine, ONNX Runtime, the Hugging Face tokenizers, JNA) and gson, which
 * DJL's API exchanges objects of; the {@code flink-lib} module copies them to its {@code target/lib}. A JVM binds a
 * native library to the first class loader that loads it, and a job's class loader lives on after the job, so from a
 * job jar a second deployment on the same TaskManager fails with "already loaded in another classloader". From the
 * TaskManager's lib/, loaded parent-first, they load once per TaskManager.
 */
public final class TaskManagerClasspath {

    /** The value of {@code classloader.parent-first-patterns.additional} a cluster running sidstream's jobs needs. */
    public static final String PARENT_FIRST_PATTERNS = "ai.djl.;ai.onnxruntime.;com.sun.jna.;com.google.gson.";

    private TaskManagerClasspath() {
    }
}

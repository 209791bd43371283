package io.sidstream.flink.job;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandleProxies;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.TimeUnit;

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

    private static final String JNA_CLEANER = "com.sun.jna.internal.Cleaner";
    private static final String DJL_ENGINE = "ai.djl.engine.Engine";

    private TaskManagerClasspath() {}

    /**
     * Starts, outside this job, what the TaskManager's native libraries keep for the life of the JVM, so that none of it
     * holds on to a job's class loader. A thread created from a job's code keeps the job's class loader as its context
     * class loader and, in its inherited access control context, the protection domain of every job class on the stack
     * that created it: after the job ends, that class loader and every class it loaded stay in memory as long as the
     * thread does. The cluster test found two: JNA's cleaner thread (started on first use, DJL's tokenizers register
     * native memory with it, and ended after 30 s with nothing registered, so any job could start it anew) and the
     * shutdown hook ONNX Runtime registers when DJL first creates its environment. Both are created here on a worker
     * of the JDK's common pool (the system class loader as context, an access control context of the JDK's own),
     * through a proxy and a method handle, so that no class of the job is on the stack that creates them; a
     * registration that never ends (JNA's own Cleaner class, with a cleanup that does nothing) keeps the cleaner
     * running. Call it before the job first uses DJL; what is not on the classpath is left out, and what runs already
     * stays as it is.
     */
    public static void startSharedThreads() {
        ClassLoader job = TaskManagerClasspath.class.getClassLoader();
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        try {
            Class<?> cleaner = load(JNA_CLEANER, job);
            if (cleaner != null) {
                Object instance = lookup.findStatic(cleaner, "getCleaner", MethodType.methodType(cleaner))
                        .invoke();
                Runnable nothing = MethodHandleProxies.asInterfaceInstance(
                        Runnable.class, MethodHandles.empty(MethodType.methodType(void.class)));
                MethodHandle register = lookup.findVirtual(
                        cleaner,
                        "register",
                        MethodType.methodType(
                                cleaner.getClassLoader().loadClass(JNA_CLEANER + "$Cleanable"),
                                Object.class,
                                Runnable.class));
                onTheCommonPool(MethodHandles.insertArguments(register, 0, instance, cleaner, nothing));
            }
            Class<?> engine = load(DJL_ENGINE, job);
            if (engine != null && load("ai.djl.onnxruntime.engine.OrtEngine", job) != null) {
                MethodHandle getEngine =
                        lookup.findStatic(engine, "getEngine", MethodType.methodType(engine, String.class));
                onTheCommonPool(MethodHandles.insertArguments(getEngine, 0, "OnnxRuntime"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted starting the native libraries' threads", e);
        } catch (Throwable e) {
            throw new IllegalStateException("cannot start the native libraries' threads outside the job", e);
        }
    }

    private static Class<?> load(String name, ClassLoader loader) {
        try {
            return Class.forName(name, true, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }

    /** Runs {@code call} (its result dropped) on a common-pool worker, with nothing of this job on the stack. */
    private static void onTheCommonPool(MethodHandle call) throws Exception {
        Runnable run = MethodHandleProxies.asInterfaceInstance(Runnable.class, call);
        ForkJoinPool.commonPool().submit(ForkJoinTask.adapt(run)).get(60, TimeUnit.SECONDS);
    }
}

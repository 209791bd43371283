package io.sidstream.clusterit;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import kotlin.sequences.SequencesKt;
import shark.CloseableHeapGraph;
import shark.HeapAnalysis;
import shark.HeapAnalysisSuccess;
import shark.HeapAnalyzer;
import shark.HeapField;
import shark.HeapObject;
import shark.HeapValue;
import shark.HprofHeapGraph;
import shark.HprofRecordTag;
import shark.IgnoredReferenceMatcher;
import shark.LeakingObjectFinder;
import shark.MetadataExtractor;
import shark.ReferenceMatcher;
import shark.ReferencePattern;

/**
 * What holds a job's class loader in a TaskManager's heap dump, read with Shark (LeakCanary's heap analyzer): the
 * strong paths from a GC root to a {@code ChildFirstClassLoader} (weak and soft references left out: caches the JVM
 * clears), and the threads, started or not (shutdown hooks), whose context class loader or inherited access control
 * context is a job's.
 */
final class HeapDumps {

    static final String JOB_CLASS_LOADER = "org.apache.flink.util.ChildFirstClassLoader";

    private HeapDumps() {}

    /** Each strong path from a GC root to a job's class loader, as Shark prints it; empty when there is none. */
    static List<String> strongPathsToJobClassLoaders(Path dump) throws Exception {
        try (CloseableHeapGraph graph = open(dump)) {
            List<ReferenceMatcher> weak = List.of(
                    new IgnoredReferenceMatcher(
                            new ReferencePattern.InstanceFieldPattern("java.lang.ref.Reference", "referent")),
                    new IgnoredReferenceMatcher(
                            new ReferencePattern.InstanceFieldPattern("java.lang.ref.Reference", "discovered")));
            LeakingObjectFinder loaders = g -> {
                Set<Long> ids = new HashSet<>();
                HeapObject.HeapClass type = g.findClassByName(JOB_CLASS_LOADER);
                if (type != null) {
                    SequencesKt.toList(type.getInstances()).forEach(i -> ids.add(i.getObjectId()));
                }
                return ids;
            };
            HeapAnalysis analysis = new HeapAnalyzer(step -> {})
                    .analyze(
                            dump.toFile(),
                            graph,
                            loaders,
                            weak,
                            false,
                            List.of(),
                            MetadataExtractor.Companion.getNO_OP());
            if (!(analysis instanceof HeapAnalysisSuccess success)) {
                throw new AssertionError("Shark could not analyze " + dump + ": " + analysis);
            }
            List<String> paths = new ArrayList<>();
            success.getApplicationLeaks().forEach(leak -> paths.add(leak.toString()));
            success.getLibraryLeaks().forEach(leak -> paths.add(leak.toString()));
            return paths;
        }
    }

    /** The threads (their names) whose context class loader or inherited access control context is a job's. */
    static List<String> threadsHoldingJobClassLoaders(Path dump) throws Exception {
        List<String> threads = new ArrayList<>();
        try (CloseableHeapGraph graph = open(dump)) {
            for (HeapObject.HeapInstance thread : SequencesKt.toList(graph.getInstances())) {
                if (!thread.instanceOf("java.lang.Thread")) {
                    continue;
                }
                HeapField context = thread.get("java.lang.Thread", "contextClassLoader");
                boolean holds = context != null && isJobLoader(context.getValue());
                HeapField acc = thread.get("java.lang.Thread", "inheritedAccessControlContext");
                if (acc != null && acc.getValue().isNonNullReference()) {
                    HeapField domains = acc.getValueAsInstance().get("java.security.AccessControlContext", "context");
                    if (domains != null && domains.getValue().isNonNullReference()) {
                        for (HeapValue domain : SequencesKt.toList(
                                domains.getValueAsObjectArray().readElements())) {
                            holds |= domain.isNonNullReference()
                                    && isJobLoader(domain.getAsObject()
                                            .getAsInstance()
                                            .get("java.security.ProtectionDomain", "classloader")
                                            .getValue());
                        }
                    }
                }
                // a finished task thread is garbage waiting for the next GC, not a holder
                boolean terminated = thread.get("java.lang.Thread", "threadStatus")
                                .getValue()
                                .getAsInt()
                        == 2;
                if (holds && !terminated) {
                    threads.add(thread.getInstanceClassName() + " '"
                            + thread.get("java.lang.Thread", "name").getValue().readAsJavaString() + "'");
                }
            }
        }
        return threads;
    }

    /** A job's class loader, or Flink's safety-net wrapper that still has one inside. */
    private static boolean isJobLoader(HeapValue value) {
        if (value.isNullReference()) {
            return false;
        }
        HeapObject.HeapInstance loader = value.getAsObject().getAsInstance();
        if (loader == null) {
            return false;
        }
        if (loader.instanceOf(JOB_CLASS_LOADER)) {
            return true;
        }
        HeapField inner =
                loader.get("org.apache.flink.util.FlinkUserCodeClassLoaders$SafetyNetWrapperClassLoader", "inner");
        return inner != null && inner.getValue().isNonNullReference();
    }

    private static CloseableHeapGraph open(Path dump) {
        File file = dump.toFile();
        return HprofHeapGraph.Companion.openHeapGraph(file, null, HprofRecordTag.Companion.getRootTags());
    }
}

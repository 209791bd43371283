package io.sidstream.model.checkpoint;

import io.sidstream.schemas.TrainingExample;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;

/** Examples as an Avro container file, the form a checkpoint keeps its replay reservoir and pending holdout in. */
public final class ExampleFiles {

    private ExampleFiles() {}

    public static void write(List<TrainingExample> examples, OutputStream out) throws IOException {
        try (DataFileWriter<TrainingExample> writer =
                new DataFileWriter<>(new SpecificDatumWriter<>(TrainingExample.class))) {
            writer.create(TrainingExample.getClassSchema(), out);
            for (TrainingExample example : examples) {
                writer.append(example);
            }
        }
    }

    public static List<TrainingExample> read(InputStream in) throws IOException {
        List<TrainingExample> out = new ArrayList<>();
        try (DataFileStream<TrainingExample> reader =
                new DataFileStream<>(in, new SpecificDatumReader<>(TrainingExample.class))) {
            reader.forEach(out::add);
        }
        return out;
    }
}

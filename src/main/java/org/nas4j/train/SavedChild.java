package org.nas4j.train;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.nas4j.space.FormatVersion;
import org.nas4j.space.InputException;
import org.nas4j.space.Json;

/**
 * A trained child on disk: DJL's {@code child-0000.params}, the spec as given
 * ({@code spec.yaml}, with the {@code --set} overrides in {@code model.json}), the architecture
 * ({@code architecture.json}) and what training measured ({@code model.json}).
 */
public final class SavedChild {
    /** The name DJL's parameter file starts with. */
    public static final String MODEL_NAME = "child";

    private SavedChild() {
    }

    /**
     * What model.json holds; {@code normalization} is what inputs must be standardised with
     * before the model sees them ({@code (x - mean[i]) / std[i]} along a sample's first axis:
     * channels of an image scaled to [0, 1], features of a table; one value applies to all).
     */
    public record Info(String spec, List<String> overrides, long parameters, int epochs, long seed, String dataset,
                       double trainLoss, double trainAccuracy, double testAccuracy, int testSamples, Normalization normalization) { }

    /** Writes the files beside DJL's parameters (already saved in {@code dir}). */
    public static void write(Path dir, byte[] specBytes, String architectureJson, Info info) throws IOException {
        Files.write(dir.resolve("spec.yaml"), specBytes);
        Files.writeString(dir.resolve("architecture.json"), architectureJson, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("model.json"), Json.PRETTY.toJson(FormatVersion.MODEL.stamp(Json.PRETTY.toJsonTree(info)
                .getAsJsonObject())) + "\n", StandardCharsets.UTF_8);
    }

    /** Reads model.json; a clear InputException when the directory is not a saved child. */
    public static Info info(Path dir) throws InputException {
        Path file = dir.resolve("model.json");
        try {
            com.google.gson.JsonElement tree = Json.parseStrict(Files.readString(file));
            if (!tree.isJsonObject()) {
                throw new InputException(file + ": not a model.json written by nas retrain");
            }
            FormatVersion.MODEL.check(file.toString(), tree.getAsJsonObject());
            Info info = Json.PRETTY.fromJson(tree, Info.class);
            if (info == null || info.overrides() == null) {
                throw new InputException(file + ": not a model.json written by nas retrain");
            }
            return info;
        } catch (NoSuchFileException e) {
            throw new InputException(dir + " is not a saved model: it has no model.json (nas retrain --out writes one)");
        } catch (IOException | com.google.gson.JsonParseException e) {
            throw new InputException(file + ": cannot be read: " + e.getMessage());
        }
    }
}

package org.nas4j.cli;

import org.nas4j.spec.Spec;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** The {@code --device cpu|gpu|gpu:N} option of every command that trains or runs a model. */
public final class DeviceOption {
    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    private CommandLine.Model.CommandSpec command;

    private String device;

    /** Takes --device; anything but cpu, gpu or gpu:N is a usage error. */
    @Option(names = "--device", paramLabel = "cpu|gpu|gpu:N", description = "Where models train and run: cpu, gpu (the first GPU) "
            + "or gpu:N (default: the spec's training.device, else cpu). A GPU needs a CUDA build of libtorch 2.7.1 given with "
            + "NAS4J_LIBTORCH (docs/gpu.md; `nas doctor` shows what the engine sees).")
    void device(String d) {
        if (!Spec.TrainingSpec.DEVICE.matcher(d).matches()) {
            throw new CommandLine.ParameterException(command.commandLine(), "--device must be cpu, gpu or gpu:N, got '" + d + "'");
        }
        device = d;
    }

    /** The device asked for, else {@code specDevice} (a spec's training.device; null: none), else cpu. */
    public String or(String specDevice) {
        return device != null ? device : specDevice != null ? specDevice : "cpu";
    }

    /** Whether --device was given. */
    public boolean given() {
        return device != null;
    }
}

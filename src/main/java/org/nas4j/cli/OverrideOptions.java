package org.nas4j.cli;

import java.util.ArrayList;
import java.util.List;
import org.nas4j.spec.Overrides;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** The {@code --set PATH=VALUE} option shared by every command that reads a spec. */
public final class OverrideOptions {
    @Option(names = "--set", paramLabel = "PATH=VALUE", converter = Converter.class,
            description = {"Override a spec field before it is checked (repeatable), e.g. --set data.dataset=fashion-mnist "
                    + "--set data.limit=2000 --set model.0.layer-choice.conv3x3.channels=16. VALUE is YAML."})
    private List<Overrides.Override> overrides = new ArrayList<>();

    /** The overrides in the order given. */
    public List<Overrides.Override> overrides() {
        return overrides;
    }

    /** Turns PATH=VALUE into an override; a malformed one is a usage error. */
    static final class Converter implements CommandLine.ITypeConverter<Overrides.Override> {
        @Override
        public Overrides.Override convert(String value) {
            try {
                return Overrides.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}

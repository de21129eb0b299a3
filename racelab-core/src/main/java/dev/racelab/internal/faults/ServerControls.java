package dev.racelab.internal.faults;

import dev.racelab.internal.settings.Provisioned;
import java.util.Optional;

/**
 * A provider whose store's server the nemesis may stop and start beyond the embedded one racelab
 * started (which is a {@link ServerControl} itself): a server on loopback started by
 * bin/start-services' command. The registry finds it on a provider with {@code instanceof}.
 */
public interface ServerControls {
    /** The control of the provisioned server, or empty for any server racelab must not touch. */
    Optional<ServerControl> control(Provisioned provisioned);

    /** A provider's control of the provisioned server: its own, else the embedded server's, else none. */
    static Optional<ServerControl> of(Object provider, Provisioned provisioned) {
        if (provider instanceof ServerControls controls) return controls.control(provisioned);
        return provisioned.server() instanceof ServerControl c ? Optional.of(c) : Optional.empty();
    }
}

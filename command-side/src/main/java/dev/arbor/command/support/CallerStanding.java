package dev.arbor.command.support;

import dev.arbor.platform.security.Caller;

/** Whether a caller may act at all: an active user whose account is not suspended, or the admin. */
public interface CallerStanding {

    /** Throws the 403 a deactivated or suspended user gets; returns for anyone else. */
    void requireActive(Caller caller);
}

package dev.arbor.api.user;

public enum UserStatus {
    ACTIVE, DEACTIVATED
}

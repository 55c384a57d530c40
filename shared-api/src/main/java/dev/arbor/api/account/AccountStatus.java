package dev.arbor.api.account;

public enum AccountStatus {
    ACTIVE, SUSPENDED, DELETED
}

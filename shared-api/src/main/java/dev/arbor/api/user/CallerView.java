package dev.arbor.api.user;

import dev.arbor.api.account.AccountView;

import java.util.Set;

/**
 * Who is calling, as {@code GET /api/v1/me} answers it. For an Arbor user: its view, its own account's view (the top
 * of what it may see) and the permissions it holds there. The platform admin is no user and belongs to no account:
 * {@code admin} is true, {@code user} and {@code account} are null, and {@code permissions} lists every permission,
 * since the admin may do all that they allow, anywhere.
 */
public record CallerView(boolean admin, UserView user, AccountView account, Set<Permission> permissions) {
}

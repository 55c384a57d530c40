package dev.arbor.command.user;

import dev.arbor.command.account.AccountMembers;
import org.axonframework.modelling.command.Aggregate;
import org.axonframework.modelling.command.Repository;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.UUID;

/** {@link AccountMembers} over the {@link User} aggregates. */
@Component
public class UserAccountMembers implements AccountMembers {

    private final Repository<User> users;

    public UserAccountMembers(Repository<User> users) {
        this.users = users;
    }

    @Override
    public List<Member> loadActive(UUID accountId, List<UUID> candidates) {
        return candidates.stream().sorted()
                         .map(id -> member(users.load(id.toString())))
                         .filter(user -> user.isActive() && accountId.equals(user.accountId()))
                         .toList();
    }

    /** A user loaded into the unit of work, as the account's rules see it. */
    static Member member(Aggregate<User> user) {
        return new Loaded(user);
    }

    private record Loaded(Aggregate<User> user) implements Member {

        @Override
        public UUID userId() {
            return user.invoke(User::userId);
        }

        @Override
        public UUID accountId() {
            return user.invoke(User::accountId);
        }

        @Override
        public boolean isActive() {
            return user.invoke(User::isActive);
        }

        @Override
        public void deactivate() {
            user.execute(User::deactivate);
        }
    }
}

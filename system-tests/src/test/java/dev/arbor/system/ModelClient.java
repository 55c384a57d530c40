package dev.arbor.system;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.user.Permission;

import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * One client of {@link ModelBasedTest}: random commands of every kind over organizations of its own, so that its
 * {@link AccountModel} knows exactly what each must answer, while the other clients' commands interleave with its
 * own in the store and on the nodes. Its random choices depend on the seed and on the model only, so a seed repeats
 * its command sequence. The first answer that differs from the model's stops the client: what follows it would be
 * guessed.
 */
final class ModelClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long ORGANIZATION_SEATS = 60;
    private static final List<String> LIMIT_KEYS = List.of("maxVMs", "maxUsers");
    private static final List<String> PERMISSIONS = Arrays.stream(Permission.values()).map(Enum::name).toList();

    /** One command: its request, and what the model expects of it, asked again when it must be sent a second time. */
    private record Step(String kind, String method, String path, String body, Supplier<AccountModel.Expected> expected) {

        @Override
        public String toString() {
            return kind + ": " + method + " " + path + (body == null ? "" : " " + body);
        }
    }

    final AccountModel model = new AccountModel();
    private final int number;
    private final Random random;
    private final CommandNodes commandNodes;
    private final StoreChecks store;
    private final Map<String, AtomicLong> answers;
    private final List<String> organizations = new ArrayList<>();
    private long steps;
    private long names;
    private String disagreement;

    ModelClient(int number, long seed, CommandNodes commandNodes, StoreChecks store, Map<String, AtomicLong> answers) {
        this.number = number;
        this.random = new Random(seed * 31 + number);
        this.commandNodes = commandNodes;
        this.store = store;
        this.answers = answers;
    }

    /** Null while every answer was the model's; else the first difference, after which the client stopped. */
    String disagreement() {
        return disagreement;
    }

    List<String> organizations() {
        return organizations;
    }

    /** Creates the client's two organizations: two, so that moves to another organization can be refused. */
    boolean createOrganizations() {
        for (int o = 0; o < 2 && disagreement == null; o++) {
            String name = "Client " + number + " organization " + o;
            run(new Step("create-organization", "POST", "/api/v1/accounts",
                         json(Map.of("name", name, "seats", ORGANIZATION_SEATS)),
                         () -> model.createOrganization(name, ORGANIZATION_SEATS)));
        }
        organizations.addAll(model.accounts.keySet());
        return disagreement == null;
    }

    /** One random command; false once the client stopped on a disagreement. */
    boolean runOneCommand() {
        if (disagreement != null) {
            return false;
        }
        run(randomStep());
        return disagreement == null;
    }

    // --- the commands ----------------------------------------------------------------------------------------

    private Step randomStep() {
        int choice = random.nextInt(100);
        if (choice < 14) {
            return createChild();
        } else if (choice < 28) {
            return transferSeats();
        } else if (choice < 33) {
            return setSeats();
        } else if (choice < 38) {
            return move();
        } else if (choice < 41) {
            return suspend();
        } else if (choice < 45) {
            return unsuspend();
        } else if (choice < 51) {
            return delete();
        } else if (choice < 56) {
            return reactivate();
        } else if (choice < 60) {
            return changeLimits();
        } else if (choice < 64) {
            return updateConfiguration();
        } else if (choice < 67) {
            return updateDetails();
        } else if (choice < 73) {
            return addUser();
        } else if (choice < 83) {
            return userCommand();
        } else if (choice < 91) {
            return registerDevice();
        } else if (choice < 96) {
            return removeDevice();
        }
        return seatToken();
    }

    private Step createChild() {
        String parent = liveAccount();
        String name = "Account " + number + "." + names++;
        String externalId = random.nextInt(3) == 0 ? externalId() : null;
        long seats = random.nextInt(9);
        Map<String, Object> body = new LinkedHashMap<>(Map.of("name", name, "seats", seats));
        if (externalId != null) {
            body.put("externalId", externalId);
        }
        return new Step("create-child", "POST", "/api/v1/accounts/" + parent + "/children", json(body),
                        () -> model.createChild(parent, name, externalId, seats));
    }

    private Step transferSeats() {
        String from = liveAccount();
        AccountModel.Account account = model.accounts.get(from);
        List<String> children = model.accounts.values().stream().filter(child -> from.equals(child.parent))
                                              .map(child -> child.id).toList();
        String to;
        int direction = random.nextInt(10);
        if (direction < 4 && account.parent != null) {
            to = account.parent;
        } else if (direction < 9 && !children.isEmpty()) {
            to = children.get(random.nextInt(children.size()));
        } else {
            to = anyAccountBut(from);
        }
        long seats = 1 + random.nextInt(6);
        return new Step("transfer-seats", "POST", "/api/v1/accounts/" + from + "/seat-transfers",
                        json(Map.of("to", to, "seats", seats)), () -> model.transferSeats(from, to, seats));
    }

    private Step setSeats() {
        String id = anyAccount();
        long total = random.nextInt((int) model.accounts.get(id).seats + 7);
        return new Step("set-seats", "PUT", "/api/v1/accounts/" + id + "/seats", json(Map.of("seats", total)),
                        () -> model.setSeats(id, total));
    }

    private Step move() {
        String id = anyAccount();
        String root = model.accounts.get(id).root;
        List<String> candidates = model.accounts.values().stream()
                                                .filter(other -> random.nextInt(10) == 0 || other.root.equals(root))
                                                .map(other -> other.id).toList();
        String newParent = candidates.get(random.nextInt(candidates.size()));
        return new Step("move", "POST", "/api/v1/accounts/" + id + "/move", json(Map.of("newParentId", newParent)),
                        () -> model.move(id, newParent));
    }

    private Step suspend() {
        String id = anyAccount();
        return new Step("suspend", "POST", "/api/v1/accounts/" + id + "/suspend",
                        json(Map.of("reason", "model step " + steps)), () -> model.suspend(id));
    }

    private Step unsuspend() {
        List<String> suspended = model.accounts.values().stream().filter(account -> account.suspended)
                                               .map(account -> account.id).toList();
        String id = suspended.isEmpty() || random.nextInt(5) == 0 ? anyAccount()
                                                                   : suspended.get(random.nextInt(suspended.size()));
        return new Step("unsuspend", "POST", "/api/v1/accounts/" + id + "/unsuspend", null,
                        () -> model.unsuspend(id));
    }

    private Step delete() {
        String id = anyAccount();
        return new Step("delete", "DELETE", "/api/v1/accounts/" + id, null, () -> model.delete(id));
    }

    private Step reactivate() {
        List<String> deleted = model.accounts.values().stream().filter(account -> account.deleted)
                                             .map(account -> account.id).toList();
        String id = deleted.isEmpty() || random.nextInt(5) == 0 ? anyAccount()
                                                                 : deleted.get(random.nextInt(deleted.size()));
        long seats = random.nextInt(4);
        return new Step("reactivate", "POST", "/api/v1/accounts/" + id + "/reactivate",
                        seats == 0 && random.nextBoolean() ? null : json(Map.of("seats", seats)),
                        () -> model.reactivate(id, seats));
    }

    private Step changeLimits() {
        String id = anyAccount();
        Map<String, Integer> limits = new TreeMap<>();
        LIMIT_KEYS.stream().filter(key -> random.nextBoolean()).forEach(key -> limits.put(key, random.nextInt(21)));
        return new Step("change-limits", "PUT", "/api/v1/accounts/" + id + "/limits", json(limits),
                        () -> model.changeLimits(id, limits));
    }

    private Step updateConfiguration() {
        String id = anyAccount();
        Boolean billable = random.nextBoolean() ? null : random.nextBoolean();
        Map<String, String> properties = random.nextBoolean() ? null
                : nullable("tier", random.nextBoolean() ? "gold" : "silver");
        Map<String, Integer> defaults = random.nextBoolean() ? null
                : nullable(LIMIT_KEYS.get(random.nextInt(LIMIT_KEYS.size())), random.nextInt(21));
        Map<String, Object> body = new LinkedHashMap<>();
        if (billable != null) {
            body.put("billable", billable);
        }
        if (properties != null) {
            body.put("properties", properties);
        }
        if (defaults != null) {
            body.put("defaultChildLimits", defaults);
        }
        return new Step("update-configuration", "PATCH", "/api/v1/accounts/" + id + "/config", json(body),
                        () -> model.updateConfiguration(id, billable, properties, defaults));
    }

    private Step updateDetails() {
        String id = anyAccount();
        String name = random.nextBoolean() ? null : "Renamed " + number + "." + names++;
        Optional<String> description = random.nextBoolean() ? null
                : random.nextBoolean() ? Optional.empty() : Optional.of("Described at step " + steps);
        Optional<String> externalId = random.nextBoolean() ? null
                : random.nextBoolean() ? Optional.empty() : Optional.of(externalId());
        ObjectNode body = JSON.createObjectNode();
        if (name != null) {
            body.put("name", name);
        }
        if (description != null) {
            body.put("description", description.orElse(null));
        }
        if (externalId != null) {
            body.put("externalId", externalId.orElse(null));
        }
        return new Step("update-details", "PATCH", "/api/v1/accounts/" + id, body.toString(),
                        () -> model.updateDetails(id, name, description, externalId));
    }

    private Step addUser() {
        String account = anyAccount();
        List<AccountModel.User> users = List.copyOf(model.users.values());
        // now and then the email of an existing user, in another case: emails are unique case-insensitively
        String email = !users.isEmpty() && random.nextInt(8) == 0
                ? users.get(random.nextInt(users.size())).email.toUpperCase(Locale.ROOT)
                : "user" + names++ + "@client" + number + ".example";
        String name = "User " + number + "." + names++;
        return new Step("add-user", "POST", "/api/v1/accounts/" + account + "/users",
                        json(Map.of("email", email, "name", name)), () -> model.addUser(account, email, name));
    }

    private Step userCommand() {
        if (model.users.isEmpty()) {
            return addUser();
        }
        List<String> users = List.copyOf(model.users.keySet());
        String user = users.get(random.nextInt(users.size()));
        String path = "/api/v1/users/" + user;
        return switch (random.nextInt(4)) {
            case 0 -> {
                String account = random.nextInt(10) == 0 ? anyAccount() : accountOfTheSameOrganization(user);
                yield new Step("change-user-account", "POST", path + "/change-account",
                               json(Map.of("accountId", account)), () -> model.changeUserAccount(user, account));
            }
            case 1 -> new Step("deactivate-user", "POST", path + "/deactivate", null,
                               () -> model.deactivateUser(user));
            case 2 -> new Step("reactivate-user", "POST", path + "/reactivate", null,
                               () -> model.reactivateUser(user));
            default -> {
                Set<String> grant = somePermissions();
                Set<String> revoke = somePermissions();
                yield new Step("change-permissions", "POST", path + "/permissions",
                               json(Map.of("grant", grant, "revoke", revoke)),
                               () -> model.changePermissions(user, grant, revoke));
            }
        };
    }

    private Step registerDevice() {
        String account = liveAccount();
        List<AccountModel.Device> devices = List.copyOf(model.devices.values());
        // now and then a serial taken by a registered device
        String serial = !devices.isEmpty() && random.nextInt(10) == 0
                ? devices.get(random.nextInt(devices.size())).serial()
                : "SN-" + number + "-" + names++;
        String name = "Sensor " + names++;
        return new Step("register-device", "POST", "/api/v1/accounts/" + account + "/devices",
                        json(Map.of("serial", serial, "name", name)),
                        () -> model.registerDevice(account, serial, name, this::deviceId));
    }

    private Step removeDevice() {
        List<String> registered = List.copyOf(model.devices.keySet());
        List<String> removed = List.copyOf(model.removedDevices);
        if (registered.isEmpty() && removed.isEmpty()) {
            return registerDevice();
        }
        String device = registered.isEmpty() || (!removed.isEmpty() && random.nextInt(10) == 0)
                ? removed.get(random.nextInt(removed.size())) : registered.get(random.nextInt(registered.size()));
        return new Step("remove-device", "DELETE", "/api/v1/devices/" + device, null,
                        () -> model.removeDevice(device));
    }

    private Step seatToken() {
        List<String> unredeemed = List.copyOf(model.unredeemedTokens.keySet());
        List<String> redeemed = List.copyOf(model.redeemedTokens);
        int choice = random.nextInt(10);
        if (choice < 4 || (unredeemed.isEmpty() && choice < 8)) {
            long seats = 1 + random.nextInt(5);
            return new Step("issue-seat-token", "POST", "/api/v1/seat-tokens", json(Map.of("seats", seats)),
                            () -> model.issueSeatToken(seats));
        }
        String token = !unredeemed.isEmpty() && choice < 8 ? unredeemed.get(random.nextInt(unredeemed.size()))
                : !redeemed.isEmpty() && choice < 9 ? redeemed.get(random.nextInt(redeemed.size()))
                : "st_never-issued-" + number + "-" + names++;
        String account = anyAccount();
        return new Step("redeem-seat-token", "POST", "/api/v1/accounts/" + account + "/seat-tokens/redeem",
                        json(Map.of("token", token)), () -> model.redeemSeatToken(account, token));
    }

    // --- sending and checking --------------------------------------------------------------------------------

    private void run(Step step) {
        steps++;
        AccountModel.Expected expected = step.expected().get();
        CommandNodes.Delivery delivery = commandNodes.send("model-" + number + "-" + steps, step.method(),
                                                           step.path(), step.body());
        Http.Response answer = delivery.answer();
        if (delivery.lostAttemptCommitted()) {
            // the first attempt did the command; the answer is that of the same command on the state it left
            if (!expected.accepted()) {
                disagree(step, expected, answer, "an attempt lost with its node committed");
                return;
            }
            expected.fold().apply(null);
            expected = step.expected().get();
        }
        tally(step, answer);
        boolean replayedWithoutItsResponse = "true".equals(answer.header("Idempotent-Replayed"))
                                             && answer.status() == 200 && expected.status() == 201;
        String code = answer.body() == null ? null : answer.body().path("code").asText(null);
        boolean asExpected = expected.accepted()
                ? answer.status() == expected.status() || replayedWithoutItsResponse
                : answer.status() == expected.status() && expected.code().name().equals(code);
        if (!asExpected) {
            disagree(step, expected, answer, null);
            return;
        }
        if (expected.accepted()) {
            AccountModel.Aggregate after = expected.fold().apply(answer);
            if (after != null && (!after.id().equals(answer.body().path("id").asText())
                                  || after.version() != answer.body().path("version").asLong(-1))) {
                disagree(step, expected, answer, "the model expects " + after);
            }
        }
    }

    /** The new device's id: named by {@code Location}, or (a replay whose first response was lost) by its event. */
    private String deviceId(Http.Response answer) {
        String location = answer.header("Location");
        if (location != null) {
            return location.substring(location.lastIndexOf('/') + 1);
        }
        try {
            return JSON.readTree(store.payloadAt(answer.body().get("position").asLong())).get("deviceId").asText();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private void disagree(Step step, AccountModel.Expected expected, Http.Response answer, String why) {
        disagreement = String.format("client %d, step %d, %s: the model expects %s%s; Arbor answered %d %s",
                                     number, steps, step, expected, why == null ? "" : " (" + why + ")",
                                     answer.status(), answer.body());
    }

    private void tally(Step step, Http.Response answer) {
        String code = answer.body() == null ? null : answer.body().path("code").asText(null);
        answers.computeIfAbsent(step.kind() + " " + answer.status() + (code == null ? "" : " " + code),
                                key -> new AtomicLong()).incrementAndGet();
    }

    // --- the read model against the model --------------------------------------------------------------------

    /**
     * Every difference between the read model (through {@code querySide}) and the model, for every account, user and
     * device the client made, each as "what: field model ..., read model ...".
     */
    List<String> readModelDifferences(URI querySide) {
        List<String> differences = new ArrayList<>();
        for (AccountModel.Account account : model.accounts.values()) {
            String path = "/api/v1/accounts/" + account.id;
            compare(differences, "account " + account.id, expectedView(account), Http.get(querySide, path));
            compareIds(differences, "users of account " + account.id,
                       model.users.values().stream().filter(user -> user.account.equals(account.id))
                                  .map(user -> user.id),
                       Http.get(querySide, path + "/users?limit=1000"));
            compareIds(differences, "devices of account " + account.id, account.devices.stream(),
                       Http.get(querySide, path + "/devices?limit=1000"));
        }
        for (AccountModel.User user : model.users.values()) {
            Map<String, Object> expected = new LinkedHashMap<>();
            expected.put("email", user.email);
            expected.put("name", user.name);
            expected.put("accountId", user.account);
            expected.put("status", user.active ? "ACTIVE" : "DEACTIVATED");
            expected.put("permissions", new TreeSet<>(user.permissions));
            Http.Response actual = Http.get(querySide, "/api/v1/users/" + user.id);
            if (actual.status() == 200) {
                // a set: its order in the answer means nothing
                ((ObjectNode) actual.body()).set("permissions", JSON.valueToTree(new TreeSet<>(
                        StreamSupport.stream(actual.body().path("permissions").spliterator(), false)
                                     .map(JsonNode::asText).toList())));
            }
            compare(differences, "user " + user.id, expected, actual);
        }
        for (AccountModel.Device device : model.devices.values()) {
            compare(differences, "device " + device.id(), Map.of("serial", device.serial(), "name", device.name(),
                                                                 "accountId", device.account()),
                    Http.get(querySide, "/api/v1/devices/" + device.id()));
        }
        for (String removed : model.removedDevices) {
            int status = Http.get(querySide, "/api/v1/devices/" + removed).status();
            if (status != 404) {
                differences.add("removed device " + removed + ": read model answers " + status + ", not 404");
            }
        }
        return differences;
    }

    /** The account's view as the README describes it, from the model. */
    private Map<String, Object> expectedView(AccountModel.Account account) {
        List<AccountModel.Account> path = model.path(account);
        AccountModel.Account parent = account.parent == null ? null : model.accounts.get(account.parent);
        AccountModel.Account suspendedBy = model.suspendedBy(account);
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("name", account.name);
        view.put("description", account.description);
        view.put("externalId", account.externalId);
        view.put("parentId", account.parent);
        view.put("rootId", account.root);
        view.put("depth", path.size() - 1);
        view.put("path", path.subList(0, path.size() - 1).stream().map(at -> at.id).toList());
        view.put("status", account.status());
        view.put("effectiveStatus", account.deleted ? "DELETED" : suspendedBy == null ? "ACTIVE" : "SUSPENDED");
        // a deleted account shows no suspension, its own or an ancestor's
        view.put("suspendedBy", account.deleted || suspendedBy == null ? null : suspendedBy.id);
        view.put("seats", Map.of("total", account.seats, "used", account.devices.size(), "free", account.free()));
        view.put("parentFreeSeats", parent == null ? null : parent.free());
        view.put("limits", account.limits);
        view.put("config", Map.of("billable", account.billable, "properties", account.properties,
                                  "defaultChildLimits", account.defaultChildLimits));
        view.put("childCount", model.liveChildren(account).size());
        view.put("descendantCount", model.liveDescendants(account));
        view.put("userCount", model.activeUserCount(account));
        view.put("deviceCount", account.devices.size());
        view.put("version", account.version);
        return view;
    }

    private static void compare(List<String> differences, String what, Map<String, Object> expected,
                                Http.Response actual) {
        if (actual.status() != 200) {
            differences.add(what + ": read model answers " + actual.status() + " " + actual.body());
            return;
        }
        JsonNode expectedJson = tree(expected);
        expectedJson.fieldNames().forEachRemaining(field -> {
            JsonNode shown = actual.body().has(field) ? actual.body().get(field) : NullNode.getInstance();
            if (!expectedJson.get(field).equals(shown)) {
                differences.add(what + ": " + field + " model " + expectedJson.get(field) + ", read model " + shown);
            }
        });
    }

    private static void compareIds(List<String> differences, String what, Stream<String> expected,
                                   Http.Response actual) {
        Set<String> expectedIds = expected.collect(Collectors.toCollection(TreeSet::new));
        Set<String> actualIds = actual.status() != 200 ? Set.of("(answer " + actual.status() + ")")
                : StreamSupport.stream(actual.body().path("items").spliterator(), false)
                               .map(item -> item.path("id").asText())
                               .collect(Collectors.toCollection(TreeSet::new));
        if (!expectedIds.equals(actualIds)) {
            differences.add(what + ": model " + expectedIds + ", read model " + actualIds);
        }
    }

    // --- choices ---------------------------------------------------------------------------------------------

    /** Mostly a live account: commands on deleted ones are refused, which a few of them should be. */
    private String liveAccount() {
        List<String> live = model.accounts.values().stream().filter(account -> !account.deleted)
                                          .map(account -> account.id).toList();
        return random.nextInt(8) == 0 ? anyAccount() : live.get(random.nextInt(live.size()));
    }

    private String anyAccount() {
        List<String> ids = List.copyOf(model.accounts.keySet());
        return ids.get(random.nextInt(ids.size()));
    }

    private String anyAccountBut(String id) {
        List<String> others = model.accounts.keySet().stream().filter(other -> !other.equals(id)).toList();
        return others.get(random.nextInt(others.size()));
    }

    private String accountOfTheSameOrganization(String user) {
        String root = model.accounts.get(model.users.get(user).account).root;
        List<String> ids = model.accounts.values().stream().filter(account -> account.root.equals(root))
                                         .map(account -> account.id).toList();
        return ids.get(random.nextInt(ids.size()));
    }

    /** One of a few external ids of this client's own: taken ones come up now and then. */
    private String externalId() {
        return "client-" + number + "-x" + random.nextInt(10);
    }

    private Set<String> somePermissions() {
        return PERMISSIONS.stream().filter(permission -> random.nextInt(4) == 0)
                          .collect(Collectors.toCollection(TreeSet::new));
    }

    /** A one-key patch that sets the key, or (now and then) removes it with null. */
    private <V> Map<String, V> nullable(String key, V value) {
        Map<String, V> patch = new LinkedHashMap<>();
        patch.put(key, random.nextInt(4) == 0 ? null : value);
        return patch;
    }

    private static String json(Object body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode tree(Object value) {
        try {
            return JSON.readTree(JSON.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

package dev.arbor.query.account;

import cz.jirutka.rsql.parser.RSQLParser;
import cz.jirutka.rsql.parser.RSQLParserException;
import cz.jirutka.rsql.parser.ast.AndNode;
import cz.jirutka.rsql.parser.ast.ComparisonNode;
import cz.jirutka.rsql.parser.ast.ComparisonOperator;
import cz.jirutka.rsql.parser.ast.LogicalNode;
import cz.jirutka.rsql.parser.ast.OrNode;
import cz.jirutka.rsql.parser.ast.RSQLOperators;
import cz.jirutka.rsql.parser.ast.RSQLVisitor;
import dev.arbor.api.account.AccountStatus;
import dev.arbor.api.common.ErrorCode;
import dev.arbor.api.common.RuleViolation;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * An RSQL/FIQL filter over accounts (e.g. {@code status==ACTIVE;name=like=acme*;createdAt=ge=2026-01-01}), turned
 * into a SQL condition on {@code account a}. Only known fields and the operators that fit their type are
 * accepted; every value is a bound parameter, so filter text never reaches SQL. Anything else is a 400
 * {@code INVALID_FILTER} naming the problem.
 */
final class AccountFilter {

    static final ComparisonOperator LIKE = new ComparisonOperator("=like=", false);
    private static final Set<ComparisonOperator> OPERATORS = operators();

    private enum Type { TEXT, ID, STATUS, EFFECTIVE_STATUS, NUMBER, TIME }

    private record Field(String column, Type type) {
    }

    private static final Map<String, Field> FIELDS = Map.ofEntries(
            Map.entry("name", new Field("a.name", Type.TEXT)),
            Map.entry("externalId", new Field("a.external_id", Type.TEXT)),
            Map.entry("label", new Field("a.label", Type.TEXT)),
            Map.entry("status", new Field("a.status", Type.STATUS)),
            Map.entry("effectiveStatus", new Field(null, Type.EFFECTIVE_STATUS)),
            Map.entry("parentId", new Field("a.parent_id", Type.ID)),
            Map.entry("rootId", new Field("a.root_id", Type.ID)),
            Map.entry("depth", new Field("a.depth", Type.NUMBER)),
            Map.entry("seats", new Field("a.seats_total", Type.NUMBER)),
            Map.entry("createdAt", new Field("a.created_at", Type.TIME)),
            Map.entry("updatedAt", new Field("a.updated_at", Type.TIME)));

    /**
     * The condition, its parameters, whether it names a status (then deleted accounts are not left out), and the
     * accounts it names by id ({@code parentId}, {@code rootId}), which must be the caller's to read.
     */
    record Condition(String sql, Map<String, Object> parameters, boolean namesStatus, Set<UUID> namedAccounts) {
    }

    private AccountFilter() {
    }

    static Condition parse(String filter) {
        try {
            Translator translator = new Translator();
            String sql = new RSQLParser(OPERATORS).parse(filter).accept(translator, null);
            return new Condition(sql, translator.parameters, translator.namesStatus, Set.copyOf(translator.namedAccounts));
        } catch (RSQLParserException unparsable) {
            throw invalid("it is not RSQL: " + firstLine(unparsable));
        }
    }

    private static final class Translator implements RSQLVisitor<String, Void> {

        private final Map<String, Object> parameters = new HashMap<>();
        private boolean namesStatus;
        private final Set<UUID> namedAccounts = new HashSet<>();

        @Override
        public String visit(AndNode node, Void unused) {
            return join(node, " AND ");
        }

        @Override
        public String visit(OrNode node, Void unused) {
            return join(node, " OR ");
        }

        private String join(LogicalNode node, String operator) {
            return node.getChildren().stream().map(child -> child.accept(this, null))
                       .collect(Collectors.joining(operator, "(", ")"));
        }

        @Override
        public String visit(ComparisonNode node, Void unused) {
            Field field = FIELDS.get(node.getSelector());
            if (field == null) {
                throw invalid("unknown field '" + node.getSelector() + "'; fields are " + FIELDS.keySet().stream()
                        .sorted().toList());
            }
            namesStatus |= field.type() == Type.STATUS || field.type() == Type.EFFECTIVE_STATUS;
            ComparisonOperator operator = node.getOperator();
            requireAllowed(node.getSelector(), field.type(), operator);
            if (field.type() == Type.EFFECTIVE_STATUS) {
                return effectiveStatus(node);
            }
            List<Object> values = node.getArguments().stream().map(value -> value(node.getSelector(), field.type(), value))
                                      .toList();
            if (field.type() == Type.ID) {
                values.forEach(id -> namedAccounts.add((UUID) id));
            }
            String parameter = "p" + parameters.size();
            if (operator.isMultiValue()) {
                parameters.put(parameter, values);
                return field.column() + (operator.equals(RSQLOperators.IN) ? " IN (:" : " NOT IN (:") + parameter + ")";
            }
            if (operator.equals(LIKE)) {
                parameters.put(parameter, likePattern(node.getArguments().get(0)));
                // case-insensitive, in a form the lower(...) text_pattern_ops indexes serve for prefixes
                return "lower(" + field.column() + ") LIKE lower(:" + parameter + ") ESCAPE '\\'";
            }
            parameters.put(parameter, values.get(0));
            return field.column() + " " + sqlOperator(operator) + " :" + parameter;
        }

        private String effectiveStatus(ComparisonNode node) {
            AccountStatus wanted = (AccountStatus) value(node.getSelector(), Type.EFFECTIVE_STATUS,
                                                         node.getArguments().get(0));
            String condition = switch (wanted) {
                case DELETED -> "a.status = 'DELETED'";
                case SUSPENDED -> "(a.status <> 'DELETED' AND a.suspended_by IS NOT NULL)";
                case ACTIVE -> "(a.status <> 'DELETED' AND a.suspended_by IS NULL)";
            };
            return node.getOperator().equals(RSQLOperators.EQUAL) ? condition : "NOT " + condition;
        }
    }

    private static void requireAllowed(String selector, Type type, ComparisonOperator operator) {
        boolean ordered = type == Type.NUMBER || type == Type.TIME;
        boolean allowed = switch (type) {
            case EFFECTIVE_STATUS -> operator.equals(RSQLOperators.EQUAL) || operator.equals(RSQLOperators.NOT_EQUAL);
            case TEXT -> !isOrdering(operator);
            default -> !operator.equals(LIKE) && (ordered || !isOrdering(operator));
        };
        if (!allowed) {
            throw invalid("operator " + operator.getSymbol() + " does not apply to '" + selector + "'");
        }
    }

    private static boolean isOrdering(ComparisonOperator operator) {
        return Set.of(RSQLOperators.LESS_THAN, RSQLOperators.LESS_THAN_OR_EQUAL, RSQLOperators.GREATER_THAN,
                      RSQLOperators.GREATER_THAN_OR_EQUAL).contains(operator);
    }

    private static String sqlOperator(ComparisonOperator operator) {
        if (operator.equals(RSQLOperators.EQUAL)) {
            return "=";
        }
        if (operator.equals(RSQLOperators.NOT_EQUAL)) {
            return "<>";
        }
        if (operator.equals(RSQLOperators.LESS_THAN)) {
            return "<";
        }
        if (operator.equals(RSQLOperators.LESS_THAN_OR_EQUAL)) {
            return "<=";
        }
        return operator.equals(RSQLOperators.GREATER_THAN) ? ">" : ">=";
    }

    private static Object value(String selector, Type type, String text) {
        try {
            return switch (type) {
                case TEXT -> text;
                case ID -> UUID.fromString(text);
                case STATUS -> AccountStatus.valueOf(text).name();
                case EFFECTIVE_STATUS -> AccountStatus.valueOf(text);
                case NUMBER -> Long.parseLong(text);
                case TIME -> instant(text);
            };
        } catch (IllegalArgumentException | DateTimeParseException wrong) {
            throw invalid("'" + text + "' is not a valid value for '" + selector + "'");
        }
    }

    /** A date ({@code 2026-01-01}, midnight UTC) or an instant ({@code 2026-01-01T10:00:00Z}). */
    private static OffsetDateTime instant(String text) {
        if (text.length() == 10) {
            return LocalDate.parse(text).atStartOfDay().atOffset(ZoneOffset.UTC);
        }
        return Instant.parse(text).atOffset(ZoneOffset.UTC);
    }

    /** {@code acme*} matches names starting with acme; SQL's own wildcards in the value match literally. */
    private static String likePattern(String value) {
        return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_").replace('*', '%');
    }

    private static Set<ComparisonOperator> operators() {
        Set<ComparisonOperator> operators = new HashSet<>(RSQLOperators.defaultOperators());
        operators.add(LIKE);
        return operators;
    }

    private static RuleViolation invalid(String problem) {
        return new RuleViolation(ErrorCode.INVALID_FILTER, "Invalid filter: " + problem + ".");
    }

    private static String firstLine(Exception failure) {
        String message = String.valueOf(failure.getCause() == null ? failure.getMessage()
                                                                    : failure.getCause().getMessage());
        return message.lines().findFirst().orElse(message);
    }
}

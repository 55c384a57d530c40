package dev.arbor.query.processing;

import dev.arbor.query.processing.batch.BatchedStatements;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.config.ProcessingGroup;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

import javax.sql.DataSource;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A projection (a bean of a processing group) reaches the database only through {@link ReadModelWriter}, which runs
 * the writes waiting for the batch before any statement of its own: a projection that held a JDBC handle, itself or
 * through one of its collaborators, could run a statement that misses them.
 */
class ProjectionsWriteThroughTheWriterTest {

    /** What would let a projection's statement run before the writes waiting for its batch. */
    private static final Set<Class<?>> OTHER_WAYS_IN = Set.of(JdbcClient.class, JdbcTemplate.class,
                                                              NamedParameterJdbcTemplate.class, DataSource.class,
                                                              Connection.class, ConnectionProvider.class,
                                                              BatchedStatements.class);

    @Test
    void everyProjectionHoldsTheWriterAndNoOtherWayIntoTheDatabase() throws ClassNotFoundException {
        List<Class<?>> projections = projections();

        assertThat(projections).extracting(Class::getSimpleName)
                               .contains("AccountProjection", "UserProjection", "DeviceProjection", "AuditProjection");
        for (Class<?> projection : projections) {
            assertThat(dependencies(projection, new HashSet<>())).as(projection.getName() + " writes through the writer")
                                                                 .contains(ReadModelWriter.class)
                                                                 .doesNotContainAnyElementsOf(OTHER_WAYS_IN);
        }
    }

    /** The types of the fields of {@code type}, and of the fields of those that are Arbor's own, but the writer's. */
    private static Set<Class<?>> dependencies(Class<?> type, Set<Class<?>> seen) {
        Set<Class<?>> found = new HashSet<>();
        if (!seen.add(type)) {
            return found;
        }
        for (Field field : type.getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers())) {
                continue;
            }
            found.add(field.getType());
            if (field.getType().getName().startsWith("dev.arbor.") && field.getType() != ReadModelWriter.class) {
                found.addAll(dependencies(field.getType(), seen));
            }
        }
        return found;
    }

    private static List<Class<?>> projections() throws ClassNotFoundException {
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AnnotationTypeFilter(ProcessingGroup.class));
        List<Class<?>> projections = new ArrayList<>();
        for (BeanDefinition candidate : scanner.findCandidateComponents("dev.arbor.query")) {
            projections.add(Class.forName(candidate.getBeanClassName()));
        }
        return projections;
    }
}

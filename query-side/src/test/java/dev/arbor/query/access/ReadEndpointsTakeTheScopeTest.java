package dev.arbor.query.access;

import dev.arbor.query.processing.scratch.ScratchReadModel;
import dev.arbor.platform.eventstore.StoredEvents;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import javax.sql.DataSource;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A query-side endpoint outside the admin API reads only through data access that takes a {@link Scope}, which only
 * {@link QueryScope} hands out: its controller depends on {@code QueryScope} and on nothing that reads rows unscoped
 * (a JDBC handle, the raw event store, the scratch read model). An endpoint added without its scope fails here;
 * one that reaches a foreign row anyway fails {@code AccessCorpusTest} in system-tests.
 */
class ReadEndpointsTakeTheScopeTest {

    /** What reads rows whatever the caller: never in a read endpoint's controller. */
    private static final Set<Class<?>> UNSCOPED = Set.of(JdbcClient.class, JdbcTemplate.class,
                                                         NamedParameterJdbcTemplate.class, DataSource.class,
                                                         StoredEvents.class, ScratchReadModel.class);

    @Test
    void everyReadControllerTakesTheScopeAndNoUnscopedReader() throws ClassNotFoundException {
        List<Class<?>> readControllers = new ArrayList<>();
        for (Class<?> controller : controllers()) {
            if (paths(controller).stream().allMatch(path -> path.startsWith("/api/v1/admin/"))) {
                continue;
            }
            readControllers.add(controller);
            List<Class<?>> dependencies = Arrays.stream(controller.getDeclaredFields()).map(Field::getType).toList();
            assertThat(dependencies).as(controller.getName() + " reads through the caller's scope")
                                    .contains(QueryScope.class)
                                    .doesNotContainAnyElementsOf(UNSCOPED);
        }
        assertThat(readControllers).extracting(Class::getSimpleName)
                                   .contains("AccountQueryController", "AuditController", "HistoryController",
                                             "UserQueryController", "DeviceQueryController");
    }

    private static List<Class<?>> controllers() throws ClassNotFoundException {
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AnnotationTypeFilter(RestController.class));
        List<Class<?>> controllers = new ArrayList<>();
        for (BeanDefinition candidate : scanner.findCandidateComponents("dev.arbor.query")) {
            controllers.add(Class.forName(candidate.getBeanClassName()));
        }
        return controllers;
    }

    /** The paths a controller's handlers answer, with the class's prefix. */
    private static List<String> paths(Class<?> controller) {
        RequestMapping prefix = AnnotatedElementUtils.findMergedAnnotation(controller, RequestMapping.class);
        List<String> prefixes = prefix == null || prefix.path().length == 0 ? List.of("") : List.of(prefix.path());
        List<String> paths = new ArrayList<>();
        for (Method method : controller.getDeclaredMethods()) {
            RequestMapping mapping = AnnotatedElementUtils.findMergedAnnotation(method, RequestMapping.class);
            if (mapping != null) {
                Stream<String> own = mapping.path().length == 0 ? Stream.of("") : Arrays.stream(mapping.path());
                own.forEach(path -> prefixes.forEach(start -> paths.add(start + path)));
            }
        }
        return paths;
    }
}

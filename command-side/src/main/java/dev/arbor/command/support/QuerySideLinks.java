package dev.arbor.command.support;

import dev.arbor.api.common.CommandResult;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

import java.net.URI;

/** Where created resources are read: the query side ({@code arbor.query-side-url}). */
@Component
public class QuerySideLinks {

    private final URI queryBaseUrl;

    QuerySideLinks(@Value("${arbor.query-side-url}") URI queryBaseUrl) {
        this.queryBaseUrl = queryBaseUrl;
    }

    /** 201 with {@code Location} at {@code path} on the query side, and the command's result as the body. */
    public ResponseEntity<CommandResult> created(String path, CommandResult result) {
        return ResponseEntity.created(queryBaseUrl.resolve(path)).body(result);
    }
}

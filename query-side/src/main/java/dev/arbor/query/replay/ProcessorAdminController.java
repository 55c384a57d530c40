package dev.arbor.query.replay;

import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.List;

/** Operators' view of the event processors, and replays; the {@code arbor} CLI calls these. */
@RestController
@RequestMapping("/api/v1/admin/processors")
class ProcessorAdminController {

    private final EventProcessors processors;

    ProcessorAdminController(EventProcessors processors) {
        this.processors = processors;
    }

    @GetMapping
    List<EventProcessors.ProcessorStatus> processors() {
        return processors.all();
    }

    @GetMapping("/{name}")
    EventProcessors.ProcessorStatus processor(@PathVariable String name) {
        return processors.status(name);
    }

    /**
     * Replays the processor from the first event, or from {@code from} (an ISO-8601 instant), and answers 202 at
     * once: the replay runs in the background, and {@code GET} shows its progress.
     */
    @PostMapping("/{name}/replay")
    @ResponseStatus(HttpStatus.ACCEPTED)
    EventProcessors.ProcessorStatus replay(@PathVariable String name,
                                           @RequestParam(required = false)
                                           @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant from) {
        return processors.replay(name, from);
    }
}

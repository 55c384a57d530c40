package dev.arbor.platform.web;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Counts every problem+json answer as {@code arbor_problems_total{code,status}}, whoever wrote it (the exception
 * handlers, the security entry point, the filters that refuse a request, the {@code /error} page): the outermost
 * filter looks at each answer whose content type is problem+json and reads its {@code code} from the first bytes of
 * the body, which it copies as they are written. Other answers pass untouched. Tomcat's own error page (requests
 * refused before any filter) is not counted.
 */
class ProblemMetrics extends OncePerRequestFilter {

    static final String METRIC = "arbor.problems";
    private static final Pattern CODE = Pattern.compile("\"code\"\\s*:\\s*\"([A-Z_]+)\"");
    private static final int KEPT_BYTES = 2048;

    private final MeterRegistry registry;

    ProblemMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** The {@code /error} dispatch writes the body of a status a filter sent: counted there. */
    @Override
    protected boolean shouldNotFilterErrorDispatch() {
        return false;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Watched watched = new Watched(response);
        try {
            chain.doFilter(request, watched);
        } finally {
            watched.count();
        }
    }

    private final class Watched extends HttpServletResponseWrapper {

        private ByteArrayOutputStream kept;
        private ServletOutputStream stream;
        private PrintWriter writer;

        Watched(HttpServletResponse response) {
            super(response);
        }

        private boolean problem() {
            String type = getContentType();
            return type != null && type.startsWith(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        }

        @Override
        public ServletOutputStream getOutputStream() throws IOException {
            ServletOutputStream out = super.getOutputStream();
            if (!problem()) {
                return out;
            }
            if (stream == null) {
                kept = new ByteArrayOutputStream();
                stream = new ServletOutputStream() {
                    @Override
                    public void write(int b) throws IOException {
                        keep(new byte[]{(byte) b}, 0, 1);
                        out.write(b);
                    }

                    @Override
                    public void write(byte[] bytes, int offset, int length) throws IOException {
                        keep(bytes, offset, length);
                        out.write(bytes, offset, length);
                    }

                    @Override
                    public void flush() throws IOException {
                        out.flush();
                    }

                    /**
                     * Passed on: a writer that closes the stream (Jackson does) finishes the response there, before
                     * UnreadBodies decides on the connection; kept open, its refusals stayed on open connections.
                     */
                    @Override
                    public void close() throws IOException {
                        out.close();
                    }

                    @Override
                    public boolean isReady() {
                        return out.isReady();
                    }

                    @Override
                    public void setWriteListener(WriteListener listener) {
                        out.setWriteListener(listener);
                    }
                };
            }
            return stream;
        }

        @Override
        public PrintWriter getWriter() throws IOException {
            if (!problem()) {
                return super.getWriter();
            }
            if (writer == null) {
                writer = new PrintWriter(new java.io.OutputStreamWriter(getOutputStream(), StandardCharsets.UTF_8));
            }
            return writer;
        }

        private void keep(byte[] bytes, int offset, int length) {
            int room = KEPT_BYTES - kept.size();
            if (room > 0) {
                kept.write(bytes, offset, Math.min(room, length));
            }
        }

        void count() {
            if (writer != null) {
                writer.flush();
            }
            if (kept == null) {
                return;
            }
            Matcher code = CODE.matcher(kept.toString(StandardCharsets.UTF_8));
            Counter.builder(METRIC)
                   .description("problem+json answers, by their code and HTTP status")
                   .tag("code", code.find() ? code.group(1) : "UNKNOWN")
                   .tag("status", Integer.toString(getStatus()))
                   .register(registry)
                   .increment();
        }
    }
}

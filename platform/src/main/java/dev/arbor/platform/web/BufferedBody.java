package dev.arbor.platform.web;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;

/** A request whose body has been read whole, served again from memory to whoever reads it next. */
public final class BufferedBody extends HttpServletRequestWrapper {

    private final byte[] body;

    public BufferedBody(HttpServletRequest request, byte[] body) {
        super(request);
        this.body = body;
    }

    /** The body did not arrive whole before its deadline. */
    public static final class TooSlow extends IOException {

        TooSlow() {
            super("The request body did not arrive in time.");
        }
    }

    /**
     * Reads the whole body, refusing it once {@code deadlineNanos} ({@link System#nanoTime()}) has passed: each read
     * returns whatever bytes have come, so a body trickling in a byte at a time is stopped at the deadline, and one
     * that stops coming altogether at the server's read timeout ({@code server.tomcat.connection-timeout}).
     */
    public static byte[] read(HttpServletRequest request, long deadlineNanos) throws IOException {
        InputStream in = request.getInputStream();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        int count;
        while ((count = readUntilTimeout(in, chunk)) != -1) {
            bytes.write(chunk, 0, count);
            if (System.nanoTime() - deadlineNanos > 0) {
                throw new TooSlow();
            }
        }
        return bytes.toByteArray();
    }

    /**
     * A read that times out has Tomcat send 408 as an error, which the error page renders: what the caller writes
     * after is dropped. Let through as the {@code IOException} it is, it had that answer turned into a 400.
     */
    private static int readUntilTimeout(InputStream in, byte[] chunk) throws IOException {
        try {
            return in.read(chunk);
        } catch (IOException failure) {
            if (failure.getCause() instanceof SocketTimeoutException) {
                throw new TooSlow();
            }
            throw failure;
        }
    }

    @Override
    public ServletInputStream getInputStream() {
        ByteArrayInputStream bytes = new ByteArrayInputStream(body);
        return new ServletInputStream() {
            @Override
            public int read() {
                return bytes.read();
            }

            @Override
            public int read(byte[] buffer, int offset, int length) {
                return bytes.read(buffer, offset, length);
            }

            @Override
            public boolean isFinished() {
                return bytes.available() == 0;
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setReadListener(ReadListener listener) {
                throw new UnsupportedOperationException("synchronous reads only");
            }
        };
    }
}

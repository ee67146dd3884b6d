package io.lrnn.server.common;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.LongFunction;

/**
 * An input stream that may be read only up to a byte limit: the read that passes it throws the
 * exception the caller chose (given the limit), so a body is refused while it streams in, before
 * it is held in memory.
 */
public final class CappedInputStream extends FilterInputStream {

    private final long limit;
    private final LongFunction<? extends RuntimeException> overLimit;
    private long count;

    public CappedInputStream(InputStream in, long limit, LongFunction<? extends RuntimeException> overLimit) {
        super(in);
        if (limit < 0) {
            throw new IllegalArgumentException("limit: expected at least 0 bytes but found " + limit);
        }
        this.limit = limit;
        this.overLimit = overLimit;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            counted(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0) {
            counted(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(n);
        counted(skipped);
        return skipped;
    }

    private void counted(long n) {
        count += n;
        if (count > limit) {
            throw overLimit.apply(limit);
        }
    }
}

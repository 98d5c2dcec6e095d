package dev.refgateway.gateway.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** A reproducible byte stream (a simple LCG), so large bodies can be checked without holding them in memory. */
public final class DeterministicBytes {

    private static final int CHUNK = 64 * 1024;

    private DeterministicBytes() {
    }

    public static void write(OutputStream out, long length) throws IOException {
        byte[] chunk = new byte[CHUNK];
        long state = 42;
        long left = length;
        while (left > 0) {
            int n = (int) Math.min(CHUNK, left);
            for (int i = 0; i < n; i++) {
                state = state * 6364136223846793005L + 1442695040888963407L;
                chunk[i] = (byte) (state >>> 56);
            }
            out.write(chunk, 0, n);
            left -= n;
        }
    }

    /** SHA-256 (hex) of the first {@code length} deterministic bytes. */
    public static String sha256(long length) {
        MessageDigest sha = digest();
        try {
            write(new OutputStream() {
                @Override
                public void write(int b) {
                    sha.update((byte) b);
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    sha.update(b, off, len);
                }
            }, length);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /** SHA-256 (hex) and length of a stream, read in chunks. */
    public static String sha256(InputStream in, long[] lengthOut) throws IOException {
        MessageDigest sha = digest();
        byte[] buffer = new byte[CHUNK];
        long length = 0;
        int n;
        while ((n = in.read(buffer)) > 0) {
            sha.update(buffer, 0, n);
            length += n;
        }
        lengthOut[0] = length;
        return HexFormat.of().formatHex(sha.digest());
    }

    /** An input stream of the first {@code length} deterministic bytes, generated as it is read. */
    public static InputStream stream(long length) {
        return new InputStream() {
            private long state = 42;
            private long left = length;

            @Override
            public int read() {
                if (left == 0) {
                    return -1;
                }
                left--;
                state = state * 6364136223846793005L + 1442695040888963407L;
                return (int) (state >>> 56) & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left == 0) {
                    return -1;
                }
                int n = (int) Math.min(len, left);
                for (int i = 0; i < n; i++) {
                    state = state * 6364136223846793005L + 1442695040888963407L;
                    b[off + i] = (byte) (state >>> 56);
                }
                left -= n;
                return n;
            }
        };
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

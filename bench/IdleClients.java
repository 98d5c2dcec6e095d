import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Locale;

/**
 * Idle keep-alive clients for scenario d of bench/lib/scale.sh: opens COUNT connections to HOST:PORT, sends one
 * {@code GET PATH} on each and reads its answer (so each is a keep-alive connection that has served a request, not
 * a socket still waiting for its first bytes), then leaves them open and idle until it is stopped (SIGTERM).
 * Prints {@code ready ANSWERED FAILED MILLIS} once every connection has its answer or failed (refused, reset, or
 * answered other than 200), then {@code closed N} whenever the server has closed more of the answered ones (N: all
 * so far; still open = ANSWERED - N). One thread, non-blocking sockets; at most {@value #OPENING} connections
 * being opened at a time, so the server's accept backlog is never what limits it.
 * <pre>
 * java bench/IdleClients.java 127.0.0.1 18080 10000 /bench/small
 * </pre>
 */
public final class IdleClients {

    private static final int OPENING = 256;

    private IdleClients() {
    }

    /** One connection: its request going out, then its answer coming in, then nothing. */
    private static final class Connection {
        ByteBuffer request;
        ByteBuffer answer = ByteBuffer.allocate(4096);
        boolean answered;
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 4) {
            System.err.println("usage: java IdleClients.java HOST PORT COUNT PATH");
            System.exit(2);
        }
        InetSocketAddress address = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
        int count = Integer.parseInt(args[2]);
        byte[] request = ("GET " + args[3] + " HTTP/1.1\r\nHost: " + args[0] + ":" + args[1]
                + "\r\nUser-Agent: idle-clients\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        Selector selector = Selector.open();
        ByteBuffer scratch = ByteBuffer.allocate(512);
        long start = System.nanoTime();
        int started = 0;
        int opening = 0;
        int answered = 0;
        int failed = 0;
        int closed = 0;
        while (answered + failed < count) {
            while (opening < OPENING && started < count) {
                started++;
                SocketChannel channel = SocketChannel.open();
                Connection connection = new Connection();
                connection.request = ByteBuffer.wrap(request);
                try {
                    channel.configureBlocking(false);
                    channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    boolean connected = channel.connect(address);
                    channel.register(selector, connected ? SelectionKey.OP_WRITE : SelectionKey.OP_CONNECT, connection);
                    opening++;
                } catch (IOException e) {
                    channel.close();
                    failed++;
                }
            }
            selector.select(1000);
            Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
            while (keys.hasNext()) {
                SelectionKey key = keys.next();
                keys.remove();
                Connection connection = (Connection) key.attachment();
                SocketChannel channel = (SocketChannel) key.channel();
                try {
                    if (!connection.answered) {
                        if (step(key, channel, connection)) {
                            opening--;
                            answered++;
                        }
                    } else if (lost(channel, scratch)) {
                        // the server closed a connection that had its answer: counted as in the idle phase below
                        close(key);
                        closed++;
                    }
                } catch (IOException e) {
                    close(key);
                    if (connection.answered) {
                        closed++;
                    } else {
                        opening--;
                        failed++;
                    }
                }
            }
        }
        System.out.printf(Locale.ROOT, "ready %d %d %d%n", answered, failed, (System.nanoTime() - start) / 1_000_000);
        // Idle: nothing is sent; a readable socket is one the server closed (or, unexpectedly, wrote to).
        int reported = 0;
        while (true) {
            if (closed != reported) {
                reported = closed;
                System.out.println("closed " + closed);
            }
            System.out.flush();
            selector.select();
            Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
            while (keys.hasNext()) {
                SelectionKey key = keys.next();
                keys.remove();
                try {
                    if (lost((SocketChannel) key.channel(), scratch)) {
                        close(key);
                        closed++;
                    }
                } catch (IOException e) {
                    close(key);
                    closed++;
                }
            }
        }
    }

    /** Connects, writes the request, reads the answer; true once a whole 200 answer is in. */
    private static boolean step(SelectionKey key, SocketChannel channel, Connection connection) throws IOException {
        if (key.isConnectable()) {
            channel.finishConnect();
            key.interestOps(SelectionKey.OP_WRITE);
            return false;
        }
        if (key.isWritable()) {
            channel.write(connection.request);
            if (!connection.request.hasRemaining()) {
                key.interestOps(SelectionKey.OP_READ);
            }
            return false;
        }
        if (channel.read(connection.answer) < 0) {
            throw new IOException("closed before the answer was complete");
        }
        String head = new String(connection.answer.array(), 0, connection.answer.position(),
                StandardCharsets.ISO_8859_1);
        int end = head.indexOf("\r\n\r\n");
        if (end < 0) {
            if (!connection.answer.hasRemaining()) {
                throw new IOException("answer head larger than " + connection.answer.capacity() + " bytes");
            }
            return false;
        }
        if (!head.startsWith("HTTP/1.1 200 ")) {
            throw new IOException("answered " + head.lines().findFirst().orElse(""));
        }
        int length = head.substring(0, end).lines()
                .filter(line -> line.regionMatches(true, 0, "Content-Length:", 0, 15))
                .mapToInt(line -> Integer.parseInt(line.substring(15).strip())).findFirst().orElse(0);
        if (connection.answer.position() < end + 4 + length) {
            return false;
        }
        connection.answered = true;
        connection.request = null;
        connection.answer = null;
        return true;
    }

    /** Reads what an idle connection has: true when the server closed it. */
    private static boolean lost(SocketChannel channel, ByteBuffer scratch) throws IOException {
        scratch.clear();
        return channel.read(scratch) < 0;
    }

    private static void close(SelectionKey key) {
        key.cancel();
        try {
            key.channel().close();
        } catch (IOException ignored) {
            // closing a socket that failed: nothing left to do
        }
    }
}

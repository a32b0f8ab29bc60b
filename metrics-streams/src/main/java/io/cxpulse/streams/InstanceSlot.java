package io.cxpulse.streams;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A numbered slot in a directory that several instances share, such as one volume for every replica of a compose
 * service: the first slot whose lock no running instance holds. Its number gives the instance a state directory and
 * a static membership id of its own, the same after a restart. The operating system lets go of the lock when the
 * process ends, however it ends.
 */
final class InstanceSlot implements AutoCloseable {
    static final int MAX_SLOTS = 256;

    private final int number;
    private final Path dir;
    private final FileChannel channel;
    private final FileLock lock;

    private InstanceSlot(int number, Path dir, FileChannel channel, FileLock lock) {
        this.number = number;
        this.dir = dir;
        this.channel = channel;
        this.lock = lock;
    }

    /** Claims the first free slot under {@code root}. */
    static InstanceSlot claim(Path root) {
        try {
            Files.createDirectories(root);
            for (int number = 1; number <= MAX_SLOTS; number++) {
                FileChannel channel = FileChannel.open(root.resolve("slot-" + number + ".lock"),
                        StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock;
                try {
                    lock = channel.tryLock();
                } catch (OverlappingFileLockException e) {
                    lock = null;
                }
                if (lock != null) {
                    Path dir = root.resolve("slot-" + number);
                    Files.createDirectories(dir);
                    return new InstanceSlot(number, dir, channel, lock);
                }
                channel.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not claim a slot under " + root, e);
        }
        throw new IllegalStateException("Every one of the " + MAX_SLOTS + " slots under " + root + " is taken");
    }

    int number() {
        return number;
    }

    /** This slot's state directory. */
    Path stateDir() {
        return dir;
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // the process is ending: the system releases the lock anyway
        }
    }
}

package io.cxpulse.streams.state;

import java.util.Map;

import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

/**
 * Bounds the off-heap memory of every RocksDB store of this process together, as Kafka Streams' documentation
 * recommends: one block cache for all stores, index and filter blocks kept in it, and the memtables charged to it
 * through one write buffer manager. Without it each store of each task takes its own cache and memtables (tens of
 * MiB each), so a container's memory limit would have to grow with the number of tasks.
 *
 * <p>Kafka Streams makes one instance per store and configures it through {@link #setConfig}; the limit is the
 * {@value #MEMORY_BYTES} value among the Streams configuration, read once.
 */
public final class BoundedRocksDbMemory implements RocksDBConfigSetter {
    /** The Streams configuration key of the limit, in bytes. */
    public static final String MEMORY_BYTES = "cxpulse.rocksdb.memory.bytes";
    /** The share of the limit the memtables may take. */
    private static final double MEMTABLE_SHARE = 0.25;
    /** The share of the cache kept for index and filter blocks. */
    private static final double INDEX_FILTER_SHARE = 0.1;

    private static Cache cache;
    private static WriteBufferManager writeBuffers;

    /**
     * The Streams settings that bound RocksDB to {@code megabytes} MiB in all: this class as the config setter and
     * the limit; none for 0 (RocksDB's defaults).
     */
    public static Map<String, Object> streamsConfig(int megabytes) {
        if (megabytes <= 0) {
            return Map.of();
        }
        return Map.of(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDbMemory.class,
                MEMORY_BYTES, megabytes * 1024L * 1024L);
    }

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        long bytes = Long.parseLong(String.valueOf(configs.get(MEMORY_BYTES)));
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(cache(bytes));
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        options.setWriteBufferManager(writeBuffers);
        options.setTableFormatConfig(table);
    }

    @Override
    public void close(String storeName, Options options) {
        // the cache and the write buffer manager are shared by every store: they live as long as the process
    }

    private static synchronized Cache cache(long bytes) {
        if (cache == null) {
            cache = new LRUCache(bytes, -1, false, INDEX_FILTER_SHARE);
            writeBuffers = new WriteBufferManager((long) (bytes * MEMTABLE_SHARE), cache);
        }
        return cache;
    }
}

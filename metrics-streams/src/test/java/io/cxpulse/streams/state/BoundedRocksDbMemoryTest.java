package io.cxpulse.streams.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

class BoundedRocksDbMemoryTest {

    @Test
    void shouldShareOneWriteBufferManagerAndKeepIndexesInTheCacheForEveryStore() {
        RocksDB.loadLibrary();
        Map<String, Object> configs = Map.of(BoundedRocksDbMemory.MEMORY_BYTES, 64L * 1024 * 1024);
        try (Options first = new Options(); Options second = new Options()) {
            for (Options options : new Options[] {first, second}) {
                options.setTableFormatConfig(new BlockBasedTableConfig());
                new BoundedRocksDbMemory().setConfig("store", options, configs);
            }
            assertThat(first.writeBufferManager()).as("the memtables of every store charged to one cache")
                    .isNotNull().isSameAs(second.writeBufferManager());
            BlockBasedTableConfig table = (BlockBasedTableConfig) first.tableFormatConfig();
            assertThat(table.cacheIndexAndFilterBlocks()).isTrue();
            assertThat(table.cacheIndexAndFilterBlocksWithHighPriority()).isTrue();
        }
    }
}

package io.cxpulse.schemas.serde;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.specific.SpecificDatumReader;

/**
 * Datum readers that do not trust a block count read from the wire when sizing a new array or map, so that a
 * corrupt count fails with an end-of-data error instead of allocating gigabytes first.
 */
final class BoundedDatumReaders {
    /** The largest initial capacity taken from the wire; collections still grow past it as items are read. */
    static final int MAX_INITIAL_CAPACITY = 1024;

    private BoundedDatumReaders() {
    }

    static final class Generic<D> extends GenericDatumReader<D> {
        Generic(Schema writer, Schema reader) {
            super(writer, reader);
        }

        @Override
        protected Object newArray(Object old, int size, Schema schema) {
            return super.newArray(old, Math.min(size, MAX_INITIAL_CAPACITY), schema);
        }

        @Override
        protected Object newMap(Object old, int size) {
            return super.newMap(old, Math.min(size, MAX_INITIAL_CAPACITY));
        }
    }

    static final class Specific<D> extends SpecificDatumReader<D> {
        Specific(Schema writer, Schema reader) {
            super(writer, reader);
        }

        @Override
        protected Object newArray(Object old, int size, Schema schema) {
            return super.newArray(old, Math.min(size, MAX_INITIAL_CAPACITY), schema);
        }

        @Override
        protected Object newMap(Object old, int size) {
            return super.newMap(old, Math.min(size, MAX_INITIAL_CAPACITY));
        }
    }
}

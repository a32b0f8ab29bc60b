package io.cxpulse.schemas.serde;

import org.apache.avro.Conversions;
import org.apache.avro.Schema;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.specific.SpecificData;

/**
 * Datum readers that do not trust a block count read from the wire when sizing a new array or map, so that a
 * corrupt count fails with an end-of-data error instead of allocating gigabytes first.
 *
 * <p>Avro's fast reader sizes arrays straight from the wire count (a corrupt frame then ends in
 * {@code OutOfMemoryError}), so these readers use data models with the fast reader turned off.
 */
final class BoundedDatumReaders {
    /** The largest initial capacity taken from the wire; collections still grow past it as items are read. */
    static final int MAX_INITIAL_CAPACITY = 1024;
    private static final GenericData GENERIC_MODEL = withoutFastReader(new GenericData());
    private static final SpecificData SPECIFIC_MODEL = withoutFastReader(new SpecificData());

    private BoundedDatumReaders() {
    }

    private static <M extends GenericData> M withoutFastReader(M model) {
        model.setFastReaderEnabled(false);
        if (model instanceof SpecificData) {
            model.addLogicalTypeConversion(new TimeConversions.DateConversion());
            model.addLogicalTypeConversion(new TimeConversions.TimeMillisConversion());
            model.addLogicalTypeConversion(new TimeConversions.TimeMicrosConversion());
            model.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
            model.addLogicalTypeConversion(new TimeConversions.TimestampMicrosConversion());
            model.addLogicalTypeConversion(new TimeConversions.LocalTimestampMillisConversion());
            model.addLogicalTypeConversion(new TimeConversions.LocalTimestampMicrosConversion());
            model.addLogicalTypeConversion(new Conversions.DecimalConversion());
            model.addLogicalTypeConversion(new Conversions.UUIDConversion());
        }
        return model;
    }

    /** The data model of {@link #specific} readers: generated classes with their logical-type conversions. */
    static SpecificData specificModel() {
        return SPECIFIC_MODEL;
    }

    /** A reader into {@code GenericRecord}s. */
    static <D> GenericDatumReader<D> generic(Schema writer, Schema reader) {
        return new Bounded<>(writer, reader, GENERIC_MODEL);
    }

    /** A reader into generated classes, with their logical-type conversions. */
    static <D> GenericDatumReader<D> specific(Schema writer, Schema reader) {
        return new Bounded<>(writer, reader, SPECIFIC_MODEL);
    }

    private static final class Bounded<D> extends GenericDatumReader<D> {
        Bounded(Schema writer, Schema reader, GenericData model) {
            super(writer, reader, model);
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

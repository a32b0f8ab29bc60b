// Talks to CX Pulse with software nobody on the project wrote: Confluent's JavaScript Schema Registry client
// and Avro serdes (@confluentinc/schemaregistry) over KafkaJS. Driven by ConfluentJsInteropIT.
//
//   node interop.mjs consume <bootstrap> <registryUrl> <topic> <count>
//       reads <count> records from the start of <topic> and prints each decoded value as one JSON line
//   node interop.mjs produce <bootstrap> <registryUrl> <topic>
//       registers its own schema under <topic>-value, writes one record with it and prints {"id":…}
import { Kafka, logLevel } from 'kafkajs';
import {
  SchemaRegistryClient, SerdeType, AvroSerializer, AvroDeserializer,
} from '@confluentinc/schemaregistry';

const [command, bootstrap, registryUrl, topic, countText] = process.argv.slice(2);
const kafka = new Kafka({ clientId: 'confluent-js-interop', brokers: [bootstrap], logLevel: logLevel.ERROR });
const registry = new SchemaRegistryClient({ baseURLs: [registryUrl] });

function plain(value) {
  return JSON.stringify(value, (key, v) => {
    if (typeof v === 'bigint') return Number(v);
    if (v instanceof Date) return v.getTime();
    if (v && v.type === 'Buffer' && Array.isArray(v.data)) return { bytes: v.data };
    return v;
  });
}

async function consume() {
  const expected = Number(countText);
  const deserializer = new AvroDeserializer(registry, SerdeType.VALUE, {});
  const consumer = kafka.consumer({ groupId: `confluent-js-${Date.now()}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let seen = 0;
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`only ${seen} of ${expected} records within 60 s`)), 60000);
    consumer.run({
      eachMessage: async ({ message }) => {
        const value = await deserializer.deserialize(topic, message.value);
        process.stdout.write(plain(value) + '\n');
        seen += 1;
        if (seen >= expected) {
          clearTimeout(timer);
          resolve();
        }
      },
    }).catch(reject);
  });
  await consumer.disconnect();
}

async function produce() {
  const schema = {
    type: 'record', name: 'JsFeedback', namespace: 'interop.js',
    fields: [
      { name: 'id', type: 'string' },
      { name: 'score', type: 'int' },
      { name: 'note', type: ['null', 'string'], default: null },
    ],
  };
  const id = await registry.register(`${topic}-value`, { schemaType: 'AVRO', schema: JSON.stringify(schema) });
  const serializer = new AvroSerializer(registry, SerdeType.VALUE, { useLatestVersion: true });
  const value = await serializer.serialize(topic, { id: 'js-1', score: 10, note: 'written by Confluent JS' });
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic, acks: -1, messages: [{ key: 'js-1', value }] });
  await producer.disconnect();
  process.stdout.write(JSON.stringify({ id }) + '\n');
}

const commands = { consume, produce };
if (!commands[command]) {
  console.error('usage: interop.mjs consume|produce <bootstrap> <registryUrl> <topic> [count]');
  process.exit(2);
}
commands[command]().then(() => process.exit(0), (error) => {
  console.error(error && error.stack ? error.stack : error);
  process.exit(1);
});

// The npm peer of bench's SfnApiBenchmark (NpmStepFunctionsPeer copies this file next to the installed package):
// aws-local-stepfunctions runs the same definition in this process, from `concurrency` async loops, each calling
// stateMachine.run(input) and awaiting its result, first a warm-up, then the measured executions.
// Prints one JSON line: the figures, measured with process.cpuUsage() (user + system of this process).
//
// usage: node aws-local-stepfunctions-bench.mjs <definition.json> <executions> <warm-up> <concurrency>
import { readFileSync } from 'node:fs';
import { StateMachine } from 'aws-local-stepfunctions';

const [definitionFile, executionsArg, warmUpArg, concurrencyArg] = process.argv.slice(2);
const definition = JSON.parse(readFileSync(definitionFile, 'utf8'));
const executions = Number(executionsArg);
const warmUp = Number(warmUpArg);
const concurrency = Number(concurrencyArg);

// the constructor validates the definition (JSON schema, paths); once, as CreateStateMachine does on our side
const stateMachine = new StateMachine(definition);

async function runAll(count) {
  let next = 0;
  const loop = async () => {
    while (next < count) {
      next++;
      const result = await stateMachine.run({ id: 'abc', n: 3 }).result;
      if (result?.id !== 'abc' || result?.left !== 'left' || result?.status !== 'done') {
        throw new Error('unexpected result: ' + JSON.stringify(result));
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
}

function cpuSeconds(since) {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1e6;
}

await runAll(warmUp); // JIT, not measured

const cpu0 = process.cpuUsage();
const wall0 = process.hrtime.bigint();
await runAll(executions);
const wallSeconds = Number(process.hrtime.bigint() - wall0) / 1e9;
const cpu = cpuSeconds(cpu0);

// what constructing a StateMachine per execution would add: its validation, after a few unmeasured ones
for (let i = 0; i < 5; i++) {
  new StateMachine(definition);
}
const constructions = 20;
const construct0 = process.cpuUsage();
for (let i = 0; i < constructions; i++) {
  new StateMachine(definition);
}
const constructCpuMillis = (cpuSeconds(construct0) * 1000) / constructions;

console.log(JSON.stringify({ node: process.version, executions, warmUp, concurrency, cpuSeconds: cpu, wallSeconds,
  constructCpuMillis }));

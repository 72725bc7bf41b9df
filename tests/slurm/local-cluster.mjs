// A one-node SLURM cluster on loopback for the test layer: munged, slurmctld and slurmd as
// children of this process, all state, spool, logs and the munge key under one temporary folder.
// proctrack/linuxproc and task/none need no cgroups, so this runs in a plain VM or container.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism, hostname, totalmem } from 'node:os';
import { join } from 'node:path';

const freePort = () =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Starts the cluster in `dir` (which must exist); returns its environment and a stop(). */
export async function startCluster(dir, { cpus: wantedCpus = 2, log = console.log } = {}) {
  // slurmd drains a node that claims more CPUs or memory than the machine has, so claim no more.
  const cpus = Math.min(wantedCpus, availableParallelism());
  const memoryMb = Math.min(8000, Math.floor(totalmem() / 2 ** 20) - 512);
  // munged refuses keys and sockets in folders others can write to or cannot enter.
  chmodSync(dir, 0o755);
  for (const sub of ['state', 'spool', 'logs']) mkdirSync(join(dir, sub), { recursive: true });
  const node = hostname().split('.')[0];
  const [ctldPort, slurmdPort] = [await freePort(), await freePort()];
  const key = join(dir, 'munge.key');
  const socket = join(dir, 'munge.sock');
  const conf = join(dir, 'slurm.conf');
  const env = { ...process.env, SLURM_CONF: conf };
  const children = [];
  let stopping = false;
  const stop = async () => {
    stopping = true;
    // scontrol shutdown lets slurmctld and slurmd save and exit; then make sure, by pid.
    // Jobs first (on a failed run some may still be running), then the daemons.
    if (existsSync(conf)) {
      spawnSync('scancel', ['--full', '--user=root'], { env, stdio: 'ignore', timeout: 10_000 });
      spawnSync('scontrol', ['shutdown'], { env, stdio: 'ignore', timeout: 10_000 });
    }
    for (let i = 0; i < 50 && children.some((c) => c.exitCode === null && c.signalCode === null); i++) await sleep(100);
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  };
  const daemon = (cmd, args) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (b) => (stderr = (stderr + b).slice(-2000)));
    child.on('exit', (code, signal) => {
      if (!stopping && code !== 0) log(`  ${cmd} exited (${signal ?? code}): ${stderr.trim()}`);
    });
    children.push(child);
    return child;
  };
  try {
    const made = spawnSync('mungekey', ['--create', `--keyfile=${key}`], { encoding: 'utf8' });
    if (made.status !== 0) throw new Error(`mungekey failed: ${made.stderr}`);
    chmodSync(key, 0o600);
    daemon('munged', ['--foreground', '--force', `--key-file=${key}`, `--socket=${socket}`, `--pid-file=${join(dir, 'munged.pid')}`, `--log-file=${join(dir, 'logs', 'munged.log')}`, `--seed-file=${join(dir, 'munged.seed')}`]);
    for (let i = 0; !existsSync(socket); i++) {
      if (i > 100) throw new Error('munged did not create its socket within 10 s');
      await sleep(100);
    }
    writeFileSync(conf, slurmConf({ dir, node, cpus, memoryMb, ctldPort, slurmdPort, socket }));
    daemon('slurmctld', ['-D', '-i']);
    daemon('slurmd', ['-D', '-N', node]);
    // Up when the node is idle: sinfo answers once slurmctld listens, idle once slurmd registered.
    for (let i = 0; ; i++) {
      const s = spawnSync('sinfo', ['-h', '-N', '-o', '%T'], { env, encoding: 'utf8' });
      if (s.status === 0 && s.stdout.trim() === 'idle') break;
      if (i > 150) throw new Error(`the node did not become idle within 30 s (sinfo: ${(s.stdout + s.stderr).trim()})`);
      await sleep(200);
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { env, node, conf, cpus, stop, logs: join(dir, 'logs') };
}

function slurmConf({ dir, node, cpus, memoryMb, ctldPort, slurmdPort, socket }) {
  return `# Written by tests/slurm/local-cluster.mjs: one node on loopback, no cgroups, no accounting.
ClusterName=mmmtest
SlurmctldHost=${node}(127.0.0.1)
SlurmctldPort=${ctldPort}
SlurmdPort=${slurmdPort}
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=${socket}
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
StateSaveLocation=${dir}/state
SlurmdSpoolDir=${dir}/spool
SlurmctldPidFile=${dir}/slurmctld.pid
SlurmdPidFile=${dir}/slurmd.pid
SlurmctldLogFile=${dir}/logs/slurmctld.log
SlurmdLogFile=${dir}/logs/slurmd.log
ReturnToService=2
JobRequeue=1
MinJobAge=600
NodeName=${node} NodeAddr=127.0.0.1 CPUs=${cpus} RealMemory=${memoryMb} State=UNKNOWN
PartitionName=batch Nodes=ALL Default=YES MaxTime=INFINITE State=UP
`;
}

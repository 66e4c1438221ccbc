/** Reading a host procfs into plain records: pids, namespaces, fds, socket tables, cgroups. */
export { ProcfsReader, readNetnsNames, SOCKET_TABLES } from './reader.js';
export { ProcfsReadError, classifyErrno, type ReadFailure } from './errors.js';
export { SocketTableParser, parseSocketTable, type SocketTableRow } from './socket-table.js';
export { stateName, STATE_LISTEN, STATE_CLOSE } from './tcp-states.js';
export { parseCgroupFile, identityFromPath, type CgroupIdentity } from './cgroup.js';
export { parseStat, parseStatus, type ProcessStat, type ProcessStatus } from './process-files.js';
export { parseFibTrieLocal, parseIfInet6 } from './net-addresses.js';
export { ownCpuQuota, parseCgroupMounts, parseOwnCgroups, parseCpuMax } from './cpu-quota.js';

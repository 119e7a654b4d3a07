// Shared data (one key/value store for every VM of the plugin, with
// compare-and-swap) and shared queues.
import {
  proxy_dequeue_shared_queue,
  proxy_enqueue_shared_queue,
  proxy_get_shared_data,
  proxy_register_shared_queue,
  proxy_resolve_shared_queue,
  proxy_set_shared_data,
} from "./abi";
import { clearReturnSlots, RETURN_SLOTS, returnPointer, returnSize, takeBytes } from "./memory";
import { Status } from "./types";

/** A value read from shared data, with the CAS token a conditional write must present. */
export class SharedValue {
  constructor(public status: Status, public value: ArrayBuffer | null, public cas: u32) {}

  get found(): bool {
    return this.status == Status.Ok;
  }
}

export function getSharedData(key: string): SharedValue {
  const bytes = String.UTF8.encode(key);
  clearReturnSlots();
  const status = <Status>proxy_get_shared_data(changetype<usize>(bytes), <usize>bytes.byteLength, RETURN_SLOTS,
    RETURN_SLOTS + 4, RETURN_SLOTS + 8);
  if (status != Status.Ok) return new SharedValue(status, null, 0);
  const cas = load<u32>(RETURN_SLOTS + 8);
  return new SharedValue(status, takeBytes(returnPointer(), returnSize()), cas);
}

/**
 * Writes `value`. With `cas` 0 the write is unconditional; otherwise it succeeds only
 * when the key still has that token (else CasMismatch: read again and retry).
 */
export function setSharedData(key: string, value: ArrayBuffer, cas: u32 = 0): Status {
  const bytes = String.UTF8.encode(key);
  return <Status>proxy_set_shared_data(changetype<usize>(bytes), <usize>bytes.byteLength, changetype<usize>(value),
    <usize>value.byteLength, cas);
}

/** Registers a queue of this VM; returns its id (0 on failure). */
export function registerSharedQueue(name: string): u32 {
  const bytes = String.UTF8.encode(name);
  store<u32>(RETURN_SLOTS, 0);
  if (proxy_register_shared_queue(changetype<usize>(bytes), <usize>bytes.byteLength, RETURN_SLOTS) != Status.Ok) return 0;
  return load<u32>(RETURN_SLOTS);
}

/** Finds a queue by VM id ("" for this VM) and name; 0 when unknown. */
export function resolveSharedQueue(vmId: string, name: string): u32 {
  const vm = String.UTF8.encode(vmId);
  const bytes = String.UTF8.encode(name);
  store<u32>(RETURN_SLOTS, 0);
  const status = proxy_resolve_shared_queue(changetype<usize>(vm), <usize>vm.byteLength, changetype<usize>(bytes),
    <usize>bytes.byteLength, RETURN_SLOTS);
  return status == Status.Ok ? load<u32>(RETURN_SLOTS) : 0;
}

export function enqueueSharedQueue(queueId: u32, data: ArrayBuffer): Status {
  return <Status>proxy_enqueue_shared_queue(queueId, changetype<usize>(data), <usize>data.byteLength);
}

/** The next item, or null when the queue is empty or unknown. */
export function dequeueSharedQueue(queueId: u32): ArrayBuffer | null {
  clearReturnSlots();
  if (proxy_dequeue_shared_queue(queueId, RETURN_SLOTS, RETURN_SLOTS + 4) != Status.Ok) return null;
  return takeBytes(returnPointer(), returnSize());
}

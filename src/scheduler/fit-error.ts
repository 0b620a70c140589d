// The FailedScheduling message, byte for byte as kube-scheduler writes it
// (k8s:pkg/scheduler/framework/types.go FitError.Error; test TestFitError_Error in types_test.go):
// "0/N nodes are available: <prefilter message>." or the reason histogram — every reason of every
// rejected node counted, rendered "<count> <reason>", sorted as plain strings — then the PostFilter
// (preemption) message.

export interface Diagnosis {
  numAllNodes: number;
  /** Reasons per explicitly rejected node. */
  nodeReasons: ReadonlyMap<string, readonly string[]>;
  /** Reasons of the nodes absent from nodeReasons (e.g. cut away by a PreFilter). */
  absentReasons?: readonly string[];
  preFilterMessage?: string;
  postFilterMessage?: string;
}

export function fitErrorMessage(d: Diagnosis): string {
  let message = `0/${d.numAllNodes} nodes are available:`;
  if (d.preFilterMessage) {
    message += ` ${d.preFilterMessage}.`;
  } else {
    const histogram = new Map<string, number>();
    for (const reasons of d.nodeReasons.values()) {
      for (const r of reasons) histogram.set(r, (histogram.get(r) ?? 0) + 1);
    }
    const absent = d.numAllNodes - d.nodeReasons.size;
    if (absent > 0) for (const r of d.absentReasons ?? []) histogram.set(r, (histogram.get(r) ?? 0) + absent);
    const rendered = [...histogram.entries()].map(([reason, count]) => `${count} ${reason}`);
    // Go's sort.Strings: byte order, which for these ASCII strings is JS's default sort.
    rendered.sort();
    if (rendered.length > 0) message += ` ${rendered.join(', ')}.`;
  }
  if (d.postFilterMessage) message += ` ${d.postFilterMessage}`;
  return message;
}

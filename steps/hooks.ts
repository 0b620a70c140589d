// Every scenario that built a cluster leaves its picture, timeline, kubectl tables and decision trace in the
// report (Allure shows each under the hook's name, titled by its file name), passed or failed alike.
import { After } from '@cucumber/cucumber';
import { renderClusterSvg } from '../src/report/cluster-svg';
import {
  clusterView,
  eventsTable,
  podsTable,
  SCENARIO_START,
  timelineEntries,
} from '../src/report/scenario-report';
import { renderTimelineHtml } from '../src/report/timeline';
import { renderTraceHtml } from '../src/report/trace-html';
import type { KubespecWorld } from './world';

After({ name: 'the cluster at the end of the scenario' }, async function (this: KubespecWorld) {
  if (!this.created) return;
  const cluster = await this.cluster();
  // A buffer goes out base64-encoded, which Cucumber's HTML page needs to show an image.
  this.attach(Buffer.from(renderClusterSvg(clusterView(cluster))), {
    mediaType: 'image/svg+xml',
    fileName: 'cluster',
  });
  this.attach(renderTimelineHtml(timelineEntries(cluster), SCENARIO_START), {
    mediaType: 'text/html',
    fileName: 'event timeline',
  });
  this.attach(podsTable(cluster), {
    mediaType: 'text/plain',
    fileName: 'kubectl get pods -o wide',
  });
  this.attach(eventsTable(cluster), {
    mediaType: 'text/plain',
    fileName: 'kubectl events',
  });
  this.attach(renderTraceHtml(cluster.trace.entries, SCENARIO_START), {
    mediaType: 'text/html',
    fileName: 'decision trace',
  });
});

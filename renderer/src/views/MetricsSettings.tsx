import { useEffect, useState } from 'react';
import type { Problem } from '../../../main/api/contract.ts';
import { ApiFailure } from '../api/client.ts';
import { ErrorBanner, Field } from '../components/common.tsx';
import { useClient } from '../context.ts';
import { useCall } from '../use-call.ts';

/** A problem for one field, whether the server named it `pushgateway` or `settings.metrics.pushgateway`. */
function problemsFor(problems: Problem[], field: string): Problem[] {
  return problems.filter((problem) => problem.path === field || problem.path.endsWith(`metrics.${field}`));
}

/** Prometheus: the textfile folder for node_exporter, a pushgateway, and loopback scrapes without the token. */
export function MetricsSettings() {
  const client = useClient();
  const { data, retry } = useCall('settings.metrics', {});
  const [textfile, setTextfile] = useState('');
  const [pushgateway, setPushgateway] = useState('');
  const [loopback, setLoopback] = useState(false);
  const [edited, setEdited] = useState(false);
  const [problems, setProblems] = useState<Problem[]>([]);
  const [error, setError] = useState<string>();
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (!data || edited) return;
    setTextfile(data.textfile ?? '');
    setPushgateway(data.pushgateway ?? '');
    setLoopback(data.loopbackWithoutToken);
  }, [data, edited]);
  const edit =
    <T,>(set: (value: T) => void) =>
    (value: T) => {
      set(value);
      setEdited(true);
      setSaved(false);
    };
  const save = async () => {
    setProblems([]);
    setError(undefined);
    try {
      await client.call('settings.updateMetrics', { textfile, pushgateway, loopbackWithoutToken: loopback });
      setEdited(false);
      setSaved(true);
      retry();
    } catch (failure) {
      if (failure instanceof ApiFailure && failure.problems.length) setProblems(failure.problems);
      else setError((failure as Error).message);
    }
  };
  return (
    <section className="card form" aria-labelledby="metrics-title">
      <h2 id="metrics-title">Prometheus metrics</h2>
      <ErrorBanner error={error} />
      <Field
        label="Textfile folder for node_exporter"
        hint="Lifeboat keeps lifeboat.prom in this folder current after every run (node_exporter's --collector.textfile.directory)."
        problems={problemsFor(problems, 'textfile')}
      >
        {(id) => (
          <input
            id={id}
            className="mono"
            value={textfile}
            placeholder="/var/lib/prometheus/node-exporter"
            onChange={(e) => edit(setTextfile)(e.target.value)}
          />
        )}
      </Field>
      <Field
        label="Pushgateway URL"
        hint="Every plan's metrics are pushed here after each run; a gateway that is down never holds up a backup."
        problems={problemsFor(problems, 'pushgateway')}
      >
        {(id) => (
          <input id={id} className="mono" value={pushgateway} placeholder="http://pushgateway:9091" onChange={(e) => edit(setPushgateway)(e.target.value)} />
        )}
      </Field>
      <label className="inline">
        <input type="checkbox" checked={loopback} onChange={(e) => edit(setLoopback)(e.target.checked)} /> Let this machine read /metrics without the token
        (loopback only)
      </label>
      <div className="actions">
        <button type="button" onClick={save} disabled={!edited}>
          Save metrics settings
        </button>
        {saved ? <span role="status">Saved.</span> : null}
      </div>
    </section>
  );
}

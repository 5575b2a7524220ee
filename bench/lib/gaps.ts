// What is known about each goal a benchmark can miss, and the plan to close it. The runner prints
// the measured gap (from the run) and, for each missed figure whose name starts with `figure`, the
// text under it. The texts hold no figures of their own; they point at rows of the same table.

export interface Gap {
  /** The start of the figure's name ('' for any missed figure of the benchmark). */
  figure: string;
  text: string;
}

export const NOT_RUN: Record<string, string> = {
  B1p: 'B1p needs borg and borgmatic (Debian: `apt-get install borgmatic`).',
  B7: 'B7 needs Chromium at /usr/bin/chromium and a built renderer in dist/renderer (`npm run build`).',
};

const GAP_TEXTS: Record<string, { missed: string }> = {
  B1: {
    missed: [
      'Where the time goes: the rows "time outside its restic backup step" and "`lifeboat --help`" of this table show the difference is',
      'fixed cost per `lifeboat run` process, not per file or per byte. Done: the CLI runs from one bundle (dist/cli, scripts/build-cli.ts)',
      'while it matches the sources, with the compile cache; the config checked last is remembered per build (checked-config.ts), and a run',
      'whose config was checked loads neither zod nor the words for cron expressions (test/integration/cli-bundle.test.ts proves it);',
      'keep-awake does not start systemd-inhibit where there is no system bus; restic gets RESTIC_CACHE_DIR as the direct side does; a',
      "run's interim records do not wait for the disk. Left: Node's own start and exit (B1s's row \"`node -e 0`\", measured in its run),",
      'three process starts from Node (two hooks and restic; each a fork of the whole Node process and a wait for its exec: B2\'s "bare',
      "spawn\" row), loading the run's chunks and the end record written durably. Node's start and exit alone take more than the whole",
      'margin a 1.05 ratio leaves on this backup, so a new Node process cannot meet it on this machine: only a `lifeboat run` that is not',
      'a Node process and hands the plan to an engine already running could, and that engine is bounded by B1d.',
    ].join('\n'),
  },
  B8: {
    missed: [
      'Capture works a pipe chunk at a time (main/core/hooks/output-capture.ts): one decode, one search per secret and for the directive',
      'prefix, a count of the lines and one tail entry per chunk, plus the callback the run events need. The rows "read alone" and "ratio',
      '(read alone / cat)" give the floor: the same pipe read the way the hook runner reads it, with nothing done with the bytes. Node',
      "(libuv) gives a child's output a socket pair rather than a pipe and reads it through epoll, a wake-up and a read of a few KiB each",
      'time the hook writes; neither the socket buffer nor the read size can be set from JavaScript (reads of up to 1 MiB were tried: no',
      "change). The floor's range shows how much it moves from run to run on this machine; what lies between the two ratios is the",
      "capture's own work. Plan: profile a capture against the floor in the same process (`--cpu-prof`), and try the secret and directive",
      'searches on the bytes (Buffer.indexOf) before the decode, which a live follower needs anyway.',
    ].join('\n'),
  },
  B9: {
    missed: [
      "A start reads the history's summary (runs-summary.json: the runs in progress on its first line, each plan's last runs on its second)",
      'and the first line of runs.jsonl (the prune check), never the whole history; what grows with the history is the summary only when',
      'plans are many. If this misses, compare the two start-up rows under `--cpu-prof` to find what reads more with the larger history.',
    ].join('\n'),
  },
  B2: {
    missed: [
      'The "runHookProcess alone" rows split the cost: what lies between it and the bare spawn is the process part (own process group,',
      "line splitters, bounded output, the group check on exit, timers); what lies between it and the hook runner is HookRunner.call's own",
      'work per call: writing the run summary file (JSON, then a file write), checking the script file (open + read of its first bytes),',
      'building the filtered environment (a pass over every variable with the redactor) and the extra promise hops.',
      'Plan: write the summary file once per event rather than once per hook when the run has not changed, check a path script once per run',
      '(cache by path + mtime), build the base environment once per run and add the per-hook variables to a copy; then profile',
      "(`node --cpu-prof bench/hook-latency.ts`) what remains and re-run B2. The p99 rows follow the machine's load more than the code.",
    ].join('\n'),
  },
  B3: {
    missed:
      "Plan: profile `node --cpu-prof bench/progress-stream.ts --child FILE`; the suspects are JSON.parse of every status line and the keep filter's substring search, which could move to a cheaper check of the message type.",
  },
  B4: {
    missed: [
      'The baseline row (the same `lifeboat run` with a silent hook) shows that most of the peak is what the Lifeboat process needs before',
      'any output arrives: Node plus the loaded modules. What the flood adds on top is not yet attributed; the likely part is garbage not yet',
      'collected: millions of short-lived strings (each line, its time stamp, the stamped copy) and stream buffers held by the young',
      'generation between scavenges. The stored output itself is bounded (the stored-output row).',
      "Plan: (1) lazy loading of modules, as for B1, to lower the baseline; (2) in runHookProcess, pause the hook's stdout while a line",
      'backlog is being processed and avoid the per-line Date/ISO string for lines that only go to the ring; (3) re-run B4 with',
      '`--max-semi-space-size` and a heap snapshot at the peak to confirm how much of the rest is uncollected garbage rather than live memory.',
    ].join('\n'),
  },
  B5: {
    missed:
      'Plan: find what wakes the idle daemon (`strace -f -e trace=epoll_wait,timerfd_settime -p PID`) and make the scheduler sleep until the next slot (it may wake at most every 10 minutes by design).',
  },
};

const B1S_OVERHEAD = [
  'B1s is start-up dominated (compare with B1d, where the engine is already running). The row "overhead beyond Node\'s own start-up"',
  "takes `node -e 0`, measured in the same run, out of the overhead: what is left is Lifeboat's own (loading its chunks, opening the",
  "engine, three process starts from Node, and the run's records). B1's row \"`lifeboat --help`\" (Node's start and exit plus loading",
  'the CLI, no engine, no process started) is above the goal by itself on this machine, so no `lifeboat run` that is a Node process',
  'can meet it here. A hand-off to a running engine through a client that is not Node is not built: the run would then take its',
  "environment (repository passwords, the hooks' variables) from the daemon rather than from the person's shell.",
].join('\n');

const B1D_RATIO = [
  "The goal leaves a fiftieth of restic's own time: less than the spread of restic alone between rounds (the restic row's range), so",
  'the median of the paired ratios lands on either side of it from one run to the next. The rows "a plan without hooks" and "ratio',
  'without hooks" show what the hooks add: two process starts from Node that the direct side does not make (B2\'s "bare spawn" row,',
  "each). Each side has its own repository with as many backups as the others' (restic slows as a repository's runs grow, and an",
  "earlier version of this benchmark gave the engine's repository twice the runs, which made the engine look slower than it is).",
].join('\n');

const B1M_RSS = [
  'The figure is the peak RSS of the `lifeboat run` process alone (getrusage, written at exit by a plain-JavaScript probe, so Node',
  "does not load its type stripper into the process measured). Most of it is Node's own; what a run adds is its chunks and the",
  'buffers of the hook and restic output. Plan: compare `node -e 0` under the same probe, then look for what a run keeps alive',
  'with a heap snapshot at its end.',
].join('\n');

const B7_RENDER = [
  'First render counts from navigation start until all plan cards are in the DOM: loading the bundle, `app.status` and `plans.list`',
  '(for every plan, its last run from history and its next run times), then rendering 200 cards at once. FCP (its own row) comes much',
  'earlier. Plan: render the first screenful of cards and the rest after the first paint (or virtualise the list), answer plans.list from',
  'an in-memory summary kept by the engine, then re-run B7 on an otherwise idle machine.',
].join('\n');

const B7_LONG_TASK = [
  'Long tasks while progress streams show up in some runs only (the "long tasks" row gives how many per run), on a 2-core machine',
  'shared with other work (see the load average above). What they are is not yet attributed; the suspect is a re-render of the whole',
  'dashboard (200 cards) when a progress event or a refresh arrives. Plan: record a Chromium trace (playwright `tracing` or CDP',
  "`Tracing.start`) around the window to name the task; make a progress event re-render only its plan's card (memoised cards,",
  'progress held per plan in its own component); then re-run B7 on an otherwise idle machine.',
].join('\n');

const B6_OPEN = [
  'Engine.open reads the whole history before it returns: HistoryStore.markInterrupted walks runs.jsonl from the end to the start and',
  'JSON-parses every line, to find runs left `running` by a process that is gone. Its cost grows with the history; the "worst case"',
  'row (a listing that reads the whole file) costs about the same. Plan: (1) keep the runs in progress in a small `running.json` beside',
  'the index (added when a run starts, removed when it ends), so markInterrupted reads that file and not the history; (2) skip JSON.parse',
  'for lines whose id (the first field, which can be sliced out) was already seen and that do not contain `"status":"running"`; then',
  're-run B6.',
].join('\n');

const B6_LIST = [
  'Listing the newest 50 runs of a plan stops at the 50th match, so it reads only the tail of the file; the first listing in a process',
  'also pays for code not yet optimised (compare the second-listing row), and it is sensitive to other load on the machine. Plan:',
  'test a line for `"plan":"<id>"` before JSON-parsing it, and stop concatenating each 64 KiB chunk with the carried-over bytes',
  '(HistoryStore.newestFirst copies both on every chunk); then re-run B6 on an otherwise idle machine.',
].join('\n');

export const GAPS: Record<string, Gap[]> = {
  ...Object.fromEntries(Object.entries(GAP_TEXTS).map(([id, gap]) => [id, [{ figure: '', text: gap.missed }]])),
  B6: [
    { figure: 'Engine.open', text: B6_OPEN },
    { figure: 'newest 50', text: B6_LIST },
  ],
  B1s: [
    { figure: 'B1s: absolute overhead', text: B1S_OVERHEAD },
    { figure: 'B1d: ratio', text: B1D_RATIO },
    { figure: 'B1m', text: B1M_RSS },
  ],
  B7: [
    { figure: 'first render', text: B7_RENDER },
    { figure: 'longest task', text: B7_LONG_TASK },
  ],
};

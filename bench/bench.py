# -*- coding: utf-8 -*-
# Copyright: (c) 2026, torrentops.qbittorrent contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The benchmarks of issue 8: the release role at scale, qbt_torrent_create against a plain qbittorrent-api script.

Run through ``bench/run`` (it sets up the virtualenv); see bench/README.md for what each benchmark measures.
Every figure is the wall time of a whole command (``ansible-playbook ...`` or ``python script``), measured several
times; the median, min and max are printed with the ratio to a baseline measured in the same run on the same
machine, and written as Markdown (and JSON) at the end.
"""

import argparse
import datetime
import json
import os
import platform
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

BENCHMARKS = {
    "role200": "the role, 200 small releases, one qBittorrent 5.1: first converge, no-op, stat loop, one stat task",
    "role2000": "the same with 2,000 releases (without the stat loop: see loop2000)",
    "fleet200": "200 releases on three hosts (three servers): each builds; builder plus two seeders",
    "create1g": "qbt_torrent_create vs a qbittorrent-api script on a 1 GiB file: v1, v2, hybrid",
    "noop": "qbt_torrent_create no-op on 10,000 files and on a 10 GiB sparse file vs ansible.builtin.stat",
    "loop2000": "an ansible.builtin.stat loop over the 2,000 releases vs one stat task (one run: takes minutes)",
}
TARGETS = {
    # (benchmark, measurement): (baseline measurement, ratio limit or None, seconds limit or None, text)
    ("role200", "no-op converge"): ("one stat task", 3.0, None, "<= 3x one stat task"),
    ("role2000", "no-op converge"): ("one stat task", 5.0, None, "<= 5x one stat task (issue 15; was 10x)"),
    ("role200", "first converge"): (None, None, 30.0, "<= 30 s"),
    ("fleet200", "builder + two seeders: first converge"): (None, None, 30.0, "<= 30 s (issue 15)"),
}
USER = "admin"
TRACKER = "udp://tracker.example:1337/announce"
MIB = 1024 * 1024


def log(msg):
    print("bench: %s" % msg, file=sys.stderr, flush=True)


class Bench:
    def __init__(self, args):
        self.args = args
        self.project = os.path.abspath(args.project)
        self.venv_python = os.path.join(args.venv, "bin", "python")
        self.tmp = tempfile.mkdtemp(prefix="torrentops-bench.", dir=args.tmpdir)
        os.chmod(self.tmp, 0o755)  # the servers run as root too, but keep it readable
        self.password = secrets.token_urlsafe(12)
        self.servers = {}  # name -> port
        self.results = []  # dicts: benchmark, name, times, baseline, notes
        self.notes = []
        self.runs = args.runs or (2 if args.quick else 5)
        self.budget = args.budget or (40.0 if args.quick else 150.0)
        self.env = self.ansible_env()
        self.machine = {}

    # ---- setup ---------------------------------------------------------------------------------------------------
    def ansible_env(self):
        colls = os.path.join(self.tmp, "collections")
        link = os.path.join(colls, "ansible_collections", "torrentops")
        os.makedirs(link)
        os.symlink(self.project, os.path.join(link, "qbittorrent"))
        env = dict(os.environ)
        env.update(
            ANSIBLE_COLLECTIONS_PATH=colls,
            ANSIBLE_COLLECTIONS_SCAN_SYS_PATH="false",
            ANSIBLE_CALLBACK_PLUGINS=os.path.join(self.project, "bench", "callback_plugins"),
            ANSIBLE_CALLBACKS_ENABLED="bench_record",
            ANSIBLE_RETRY_FILES_ENABLED="false",
            ANSIBLE_DEPRECATION_WARNINGS="false",
            ANSIBLE_LOCALHOST_WARNING="false",
            ANSIBLE_LOCAL_TEMP=os.path.join(self.tmp, "ansible-tmp"),
            ANSIBLE_HOME=os.path.join(self.tmp, "ansible-home"),
            ANSIBLE_FORKS="5",
            PATH=os.path.dirname(self.venv_python) + os.pathsep + os.environ.get("PATH", ""),
            QBITTORRENT_PASSWORD=self.password,  # for bench/qbtapi_create.py
        )
        env.pop("ANSIBLE_CONFIG", None)
        return env

    def qbt_server(self, *argv):
        env = dict(os.environ, QBT_SERVER_PASSWORD=self.password)
        return subprocess.run([os.path.join(self.project, "scripts", "qbt-server")] + list(argv), env=env,
                              check=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def server(self, key, version="5.1"):
        """Start (once) the server KEY of this run; return its URL."""
        if key not in self.servers:
            port = self.args.port_base + 1 + len(self.servers)
            name = "bench-%d" % port
            log("starting qBittorrent %s as %s on 127.0.0.1:%d" % (version, name, port))
            try:
                out = self.qbt_server("start", name, "--version", version, "--port", str(port), "--data", self.tmp)
            except subprocess.CalledProcessError as exc:
                raise SystemExit("bench: could not start %s:\n%s%s" % (name, exc.stdout, exc.stderr))
            self.servers[key] = (name, port)
            line = out.stdout.strip().splitlines()[0]
            self.machine.setdefault("qbittorrent", set()).add(line.split("qBittorrent ")[1].split(" at ")[0])
        return "http://127.0.0.1:%d" % self.servers[key][1]

    def client(self, key):
        import qbittorrentapi  # only in the virtualenv: --help and --list run with any python3

        api = qbittorrentapi.Client(host=self.server(key), username=USER, password=self.password,
                                    FORCE_SCHEME_FROM_HOST=True, REQUESTS_ARGS={"timeout": 120})
        api.auth_log_in()
        return api

    def stop_servers(self):
        for name, dummy in self.servers.values():
            try:
                self.qbt_server("stop", name)
            except subprocess.CalledProcessError as exc:
                log("could not stop %s: %s" % (name, exc.stderr.strip()))
        self.servers = {}

    def describe_machine(self):
        model = "?"
        with open("/proc/cpuinfo") as handle:
            for line in handle:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
        ansible = subprocess.run([self.venv_python, "-c", "import ansible.release as r; print(r.__version__)"],
                                 check=True, capture_output=True, text=True).stdout.strip()
        api_version = subprocess.run([self.venv_python, "-c", "from importlib.metadata import version; "
                                      "print(version('qbittorrent-api'))"],
                                     check=True, capture_output=True, text=True).stdout.strip()
        git = ["git", "-C", self.project]
        commit = subprocess.run(git + ["rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                                check=False).stdout.strip() or "?"
        dirty = subprocess.run(git + ["status", "--porcelain", "--", "plugins", "roles"], capture_output=True,
                               text=True, check=False).stdout.split("\n")
        dirty = sorted(line[3:] for line in dirty if line.strip())
        self.machine.update(commit=commit, uncommitted=dirty)
        self.machine.update(cores=os.cpu_count(), cpu=model, python=platform.python_version(), ansible_core=ansible,
                            qbittorrent_api=api_version, kernel=platform.release(),
                            load_at_start=" ".join("%.2f" % x for x in os.getloadavg()))

    # ---- data ----------------------------------------------------------------------------------------------------
    def make_releases(self, where, count):
        """COUNT small releases under WHERE: rel-NNNN/ with a 48 KiB binary and a short text file."""
        os.makedirs(where, exist_ok=True)
        paths = []
        for index in range(1, count + 1):
            path = os.path.join(where, "rel-%04d" % index)
            if not os.path.isdir(path):
                os.makedirs(path)
                with open(os.path.join(path, "rel-%04d.bin" % index), "wb") as handle:
                    handle.write(os.urandom(48 * 1024))
                with open(os.path.join(path, "README.txt"), "w") as handle:
                    handle.write("Release %d of the torrentops benchmark.\n" % index)
            paths.append(path)
        return paths

    @staticmethod
    def copy_release(source, dest):
        if not os.path.isdir(dest):
            shutil.copytree(source, dest)  # copy2: same names, sizes and bytes; the seeders' own copies

    # ---- running things ------------------------------------------------------------------------------------------
    def playbook(self, inventory, playbook, expect_changed=None):
        """Run ansible-playbook; return (wall seconds, what bench_record wrote: task times and results)."""
        cmd = [os.path.join(os.path.dirname(self.venv_python), "ansible-playbook"), "-i", inventory, playbook]
        record = os.path.join(self.tmp, "record.json")
        remove(record)
        started = time.monotonic()
        proc = subprocess.run(cmd, env=dict(self.env, BENCH_RECORD=record), capture_output=True, text=True,
                              cwd=self.tmp, check=False)
        wall = time.monotonic() - started
        try:
            with open(record) as handle:
                output = json.load(handle)
        except (IOError, ValueError):
            output = None
        if proc.returncode != 0 or output is None:
            raise SystemExit("bench: %s failed (rc %d):\n%s\n%s" % (
                " ".join(cmd), proc.returncode, proc.stdout[-6000:], proc.stderr[-3000:]))
        changed = sum(stats.get("changed", 0) for stats in output["stats"].values())
        if expect_changed is not None and bool(changed) != expect_changed:
            raise SystemExit("bench: %s: expected %s, got changed=%d:\n%s" % (
                playbook, "changes" if expect_changed else "changed=0", changed, proc.stdout[-6000:]))
        return wall, output

    def command(self, argv):
        started = time.monotonic()
        proc = subprocess.run(argv, env=self.env, capture_output=True, text=True, cwd=self.tmp, check=False)
        wall = time.monotonic() - started
        if proc.returncode != 0:
            raise SystemExit("bench: %s failed (rc %d):\n%s\n%s" % (
                " ".join(argv), proc.returncode, proc.stdout[-3000:], proc.stderr[-3000:]))
        return wall, proc.stdout

    def repeat(self, benchmark, name, run, before=None, runs=None, baseline=None, budget=None, target=None):
        """Time RUN (returns seconds, or (seconds, extra dict)) several times; BEFORE runs untimed before each."""
        runs = runs or self.runs
        budget = budget or self.budget
        times, extras = [], []
        spent = 0.0
        for index in range(runs):
            if before is not None:
                before()
            got = run()
            seconds, extra = got if isinstance(got, tuple) else (got, None)
            times.append(seconds)
            if extra:
                extras.append(extra)
            spent += seconds
            log("%s / %s: run %d: %.2f s" % (benchmark, name, index + 1, seconds))
            if spent + statistics.median(times) > budget:
                break
        entry = dict(benchmark=benchmark, name=name, times=times, median=statistics.median(times), min=min(times),
                     max=max(times), baseline=baseline, extras=extras, target=target)
        self.results.append(entry)
        log("%s / %s: median %.2f s (min %.2f, max %.2f, %d runs)" % (
            benchmark, name, entry["median"], entry["min"], entry["max"], len(times)))
        return entry

    def interleaved(self, benchmark, items, runs=None):
        """Time several commands in rounds (A B C, A B C, ...) so that a load from other work on the machine
        falls on all of them alike. ITEMS: (name, run, baseline name or None); returns {name: entry}."""
        runs = runs or self.runs
        times = dict((name, []) for name, dummy, dummy2 in items)
        extras = dict((name, []) for name, dummy, dummy2 in items)
        spent = 0.0
        for index in range(runs):
            round_seconds = 0.0
            for name, run, dummy in items:
                got = run()
                seconds, extra = got if isinstance(got, tuple) else (got, None)
                times[name].append(seconds)
                if extra:
                    extras[name].append(extra)
                round_seconds += seconds
                log("%s / %s: run %d: %.2f s" % (benchmark, name, index + 1, seconds))
            spent += round_seconds
            if spent + round_seconds > self.budget * len(items) / 2.0:
                break
        entries = {}
        for name, dummy, baseline in items:
            got = times[name]
            entries[name] = entry = dict(benchmark=benchmark, name=name, times=got, median=statistics.median(got),
                                         min=min(got), max=max(got), baseline=entries.get(baseline),
                                         extras=extras[name], target=None)
            if baseline:  # the same round's baseline: the ratio least disturbed by load that comes and goes
                entry["round_ratios"] = [mine / theirs for mine, theirs in zip(got, times[baseline])]
            self.results.append(entry)
            log("%s / %s: median %.2f s (min %.2f, max %.2f, %d runs)" % (
                benchmark, name, entry["median"], entry["min"], entry["max"], len(got)))
        return entries

    # ---- inventories and playbooks -------------------------------------------------------------------------------
    def write(self, path, data):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as handle:
            if isinstance(data, str):
                handle.write(data)
            else:
                json.dump(data, handle, indent=1)  # JSON is YAML: fast to parse, no templating
        return path

    def inventory(self, name, hosts):
        """HOSTS: {host: {"server": key, "sources": [...], "dest_dir": ..., extra vars}}; literal host_vars."""
        base = os.path.join(self.tmp, "inv-" + name)
        inv = {"all": {"hosts": {}, "vars": {
            "ansible_connection": "local", "ansible_python_interpreter": self.venv_python,
            "qbt_release_username": USER, "qbt_release_password": self.password}}}
        for host, spec in hosts.items():
            inv["all"]["hosts"][host] = None
            host_vars = dict(spec.get("vars", {}))
            if "server" in spec:
                host_vars["qbt_release_host"] = self.server(spec["server"])
            if "sources" in spec:
                host_vars["qbt_releases"] = [dict(name=os.path.basename(path), source_path=path)
                                             for path in spec["sources"]]
                host_vars["qbt_release_defaults"] = dict(dest_dir=spec["dest_dir"], trackers=[TRACKER], seed=True)
                host_vars["bench_source"] = spec["sources"][0]
            self.write(os.path.join(base, "host_vars", host + ".yml"), host_vars)
        return self.write(os.path.join(base, "hosts.yml"), inv)

    def plays(self):
        """The playbooks every benchmark uses, written once."""
        base = os.path.join(self.tmp, "plays")
        return dict(
            role=self.write(os.path.join(base, "role.yml"), ROLE_PLAY),
            stat_loop=self.write(os.path.join(base, "stat-loop.yml"), STAT_LOOP_PLAY),
            stat_one=self.write(os.path.join(base, "stat-one.yml"), STAT_ONE_PLAY),
            empty=self.write(os.path.join(base, "empty.yml"), EMPTY_PLAY),
            create=self.write(os.path.join(base, "create.yml"), CREATE_PLAY),
        )

    # ---- resets --------------------------------------------------------------------------------------------------
    def reset(self, server_keys, dirs):
        """Empty the sessions of SERVER_KEYS (data kept) and remove DIRS (.torrent files, manifests)."""
        for key in server_keys:
            api = self.client(key)
            if api.torrents_info():
                api.torrents_delete(torrent_hashes="all", delete_files=False)
            deadline = time.monotonic() + 120
            while api.torrents_info() and time.monotonic() < deadline:
                time.sleep(0.2)
            for task in api.torrentcreator_status() or []:
                api.torrentcreator_delete_task(task_id=task["taskID"])
        for path in dirs:
            shutil.rmtree(path, ignore_errors=True)

    # ---- benchmarks ----------------------------------------------------------------------------------------------
    def role_one_server(self, benchmark, count, loop=True, converge_too=True):
        plays = self.plays()
        sources = self.make_releases(os.path.join(self.tmp, "data", "r"), count)
        dest_dir = os.path.join(self.tmp, "out", benchmark)
        inv = self.inventory(benchmark, {"seed1": dict(server="r51", sources=sources, dest_dir=dest_dir)})
        slow = count > 500
        one = self.repeat(benchmark, "one stat task (before the slow ones)",
                          lambda: self.playbook(inv, plays["stat_one"])[0], runs=3)
        if loop:
            self.repeat(benchmark, "stat loop over the releases", lambda: self.playbook(inv, plays["stat_loop"])[0],
                        baseline=one, runs=1 if slow else 3)
        if converge_too:
            self.converges(benchmark, count, inv, dest_dir, one)

    def converges(self, benchmark, count, inv, dest_dir, one):
        plays = self.plays()
        slow = count > 500

        def converge(expect):
            wall, output = self.playbook(inv, plays["role"], expect_changed=expect)
            return wall, role_facts(output)

        entry = self.repeat(benchmark, "first converge", lambda: converge(True),
                            before=lambda: self.reset(["r51"], [dest_dir]), baseline=one, runs=2 if slow else 3,
                            budget=self.budget * (2 if slow else 1))
        check_creator_tasks(entry, {"seed1": count})
        module_alone = self.module_alone(benchmark, inv)
        self.interleaved(benchmark, [
            ("empty play (Ansible start-up)", lambda: self.playbook(inv, plays["empty"])[0], None),
            ("one stat task", lambda: self.playbook(inv, plays["stat_one"])[0], None),
            ("no-op converge", lambda: converge(False), "one stat task"),
            ("no-op, qbt_releases module alone (no Ansible)", module_alone, None),
        ])

    def module_alone(self, benchmark, inv):
        """qbt_releases run without Ansible (python -m ... ARGS_FILE), counting its HTTP requests: the module's own
        no-op time. Returns the function that runs it once."""
        with open(os.path.join(os.path.dirname(inv), "host_vars", "seed1.yml")) as handle:
            host_vars = json.load(handle)
        args = dict(host=host_vars["qbt_release_host"], username=USER, password=self.password,
                    releases=host_vars["qbt_releases"], defaults=host_vars["qbt_release_defaults"],
                    create_dirs=True, dir_mode="0755")
        args_file = self.write(os.path.join(self.tmp, "module-args-%s.json" % benchmark), {"ANSIBLE_MODULE_ARGS": args})
        env = dict(self.env, PYTHONPATH=os.path.join(self.tmp, "collections"))
        argv = [self.venv_python, "-c", COUNT_REQUESTS,
                "ansible_collections.torrentops.qbittorrent.plugins.modules.qbt_releases", args_file]

        def run():
            started = time.monotonic()
            proc = subprocess.run(argv, env=env, capture_output=True, text=True, cwd=self.tmp, check=False)
            wall = time.monotonic() - started
            try:
                result = json.loads(proc.stdout)
                requests = json.loads(proc.stderr.strip().splitlines()[-1])
            except (ValueError, IndexError):
                raise SystemExit("bench: qbt_releases alone failed:\n%s\n%s" % (
                    proc.stdout[-2000:], proc.stderr[-2000:]))
            if result.get("failed") or result.get("changed"):
                raise SystemExit("bench: qbt_releases alone: expected a no-op, got %s" % proc.stdout[-2000:])
            return wall, {"requests": requests}
        return run

    def fleet(self):
        benchmark = "fleet200"
        plays = self.plays()
        count = 200
        master = self.make_releases(os.path.join(self.tmp, "data", "r"), count)
        hosts, dests = {}, []
        for number in (1, 2, 3):
            host = "seed%d" % number
            data = os.path.join(self.tmp, "data", "fleet-" + host)
            for path in master:
                self.copy_release(path, os.path.join(data, os.path.basename(path)))
            dest_dir = os.path.join(self.tmp, "out", "fleet-" + host)
            dests.append(dest_dir)
            hosts[host] = dict(server="f%d" % number, dest_dir=dest_dir,
                               sources=[os.path.join(data, os.path.basename(path)) for path in master[:count]])
        keys = ["f1", "f2", "f3"]
        inv = self.inventory("fleet-each", hosts)
        for spec in hosts.values():
            spec["vars"] = {"qbt_release_builder": "seed1"}
        inv_builder = self.inventory("fleet-builder", hosts)
        one = self.repeat(benchmark, "one stat task, three hosts", lambda: self.playbook(inv, plays["stat_one"])[0],
                          runs=3)

        def converge(inventory, expect):
            wall, output = self.playbook(inventory, plays["role"], expect_changed=expect)
            return wall, role_facts(output)

        entry = self.repeat(benchmark, "three hosts, each builds: first converge", lambda: converge(inv, True),
                            before=lambda: self.reset(keys, dests), baseline=one, runs=3)
        check_creator_tasks(entry, {"seed1": count, "seed2": count, "seed3": count})
        self.interleaved(benchmark, [
            ("one stat task, three hosts (a)", lambda: self.playbook(inv, plays["stat_one"])[0], None),
            ("three hosts, each builds: no-op converge", lambda: converge(inv, False),
             "one stat task, three hosts (a)")])
        entry = self.repeat(benchmark, "builder + two seeders: first converge", lambda: converge(inv_builder, True),
                            before=lambda: self.reset(keys, dests), baseline=one, runs=3)
        check_creator_tasks(entry, {"seed1": count, "seed2": 0, "seed3": 0})
        check_fleet(entry, count)
        self.check_seeders(["f2", "f3"], count)
        self.interleaved(benchmark, [
            ("one stat task, three hosts (b)", lambda: self.playbook(inv, plays["stat_one"])[0], None),
            ("builder + two seeders: no-op converge", lambda: converge(inv_builder, False),
             "one stat task, three hosts (b)")])

    def check_seeders(self, keys, count):
        """Each seeder's qBittorrent seeds every release complete and fetched nothing: its own copy was verified."""
        for key in keys:
            torrents = self.client(key).torrents_info()
            bad = [t for t in torrents if float(t.get("progress") or 0) < 1.0 or int(t.get("downloaded") or 0) != 0
                   or t.get("state") not in ("uploading", "stalledUP", "queuedUP", "forcedUP")]
            if len(torrents) != count or bad:
                raise SystemExit("bench: fleet200: seeder %s has %d torrents (expected %d); not seeding a complete, "
                                 "own copy: %s" % (key, len(torrents), count, [(t["name"], t["state"], t["progress"],
                                                                               t["downloaded"]) for t in bad[:5]]))

    def create1g(self):
        benchmark = "create1g"
        plays = self.plays()
        source = os.path.join(self.tmp, "data", "big", "one-gib.bin")
        if not os.path.exists(source):
            os.makedirs(os.path.dirname(source), exist_ok=True)
            log("writing a 1 GiB file of random bytes")
            block = os.urandom(16 * MIB)
            with open(source, "wb") as handle:
                for index in range(64):
                    handle.write(index.to_bytes(8, "big") + block[8:])
        dest = os.path.join(self.tmp, "out", "create1g", "one-gib.torrent")
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        url = self.server("c51")
        with open(source, "rb") as handle:  # into the page cache, as a release just written would be
            while handle.read(16 * MIB):
                pass
        script = os.path.join(self.project, "bench", "qbtapi_create.py")
        for fmt in ("v1", "v2", "hybrid"):
            inv = self.inventory("create-" + fmt, {"c": dict(vars=dict(
                bench_host=url, bench_source=source, bench_dest=dest, bench_format=fmt,
                bench_piece_size=2 * MIB))})
            argv = (self.venv_python, script, "--host", url, "--username", USER, "--source", source, "--dest", dest,
                    "--format", fmt, "--piece-size", str(2 * MIB))
            baseline = "%s: qbittorrent-api script" % fmt

            def run_script(argv=argv):
                remove(dest)
                return self.command(list(argv))[0]

            def run_play(inv=inv):
                remove(dest)
                return self.playbook(inv, plays["create"], expect_changed=True)[0]
            self.interleaved(benchmark, [(baseline, run_script, None),
                                         ("%s: qbt_torrent_create (playbook)" % fmt, run_play, baseline)])

    def noop(self):
        benchmark = "noop"
        plays = self.plays()
        url = self.server("c51")
        many = os.path.join(self.tmp, "data", "many", "ten-thousand")
        if not os.path.isdir(many):
            log("writing 10,000 small files")
            for index in range(10000):
                sub = os.path.join(many, "d%02d" % (index // 100))
                os.makedirs(sub, exist_ok=True)
                with open(os.path.join(sub, "f%05d.txt" % index), "w") as handle:
                    handle.write("file %d\n" % index)
        big = os.path.join(self.tmp, "data", "sparse", "ten-gib.img")
        if not os.path.exists(big):
            os.makedirs(os.path.dirname(big), exist_ok=True)
            with open(big, "wb") as handle:
                handle.truncate(10 * 1024 * MIB)
        for label, source in (("10,000 files", many), ("10 GiB sparse file", big)):
            dest = os.path.join(self.tmp, "out", "noop", os.path.basename(source) + ".torrent")
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            inv = self.inventory("noop-" + os.path.basename(source), {"c": dict(vars=dict(
                bench_host=url, bench_source=source, bench_dest=dest, bench_format="v1", bench_piece_size=0))})
            log("%s: first build (untimed)" % label)
            started = time.monotonic()
            self.playbook(inv, plays["create"], expect_changed=True)
            self.notes.append("noop: building the .torrent of the %s once (v1, untimed setup) took %.1f s"
                              % (label, time.monotonic() - started))
            stat = "%s: one stat task" % label
            self.interleaved(benchmark, [
                (stat, lambda inv=inv: self.playbook(inv, plays["stat_one"])[0], None),
                ("%s: qbt_torrent_create no-op" % label,
                 lambda inv=inv: self.playbook(inv, plays["create"], expect_changed=False)[0], stat)])

    # ---- report --------------------------------------------------------------------------------------------------
    def markdown(self, command):
        lines = ["# torrentops.qbittorrent benchmarks", "",
                 "- date: %s" % datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
                 "- command: `%s`" % command,
                 "- machine: %d cores, %s; Python %s; ansible-core %s; qbittorrent-api %s; qBittorrent %s; "
                 "load average at start %s" % (
                     self.machine["cores"], self.machine["cpu"], self.machine["python"], self.machine["ansible_core"],
                     self.machine["qbittorrent_api"], ", ".join(sorted(self.machine.get("qbittorrent", []))) or "-",
                     self.machine["load_at_start"]),
                 "- collection: %s, commit %s%s" % (self.project, self.machine["commit"], (
                     " plus uncommitted changes in %s" % ", ".join(self.machine["uncommitted"])
                     if self.machine["uncommitted"] else "")),
                 "- figures: wall seconds of the whole command; median (min-max) of the runs; ratio = median / the "
                 "baseline's median, measured in the same run", ""]
        current = None
        for entry in self.results:
            if entry["benchmark"] != current:
                current = entry["benchmark"]
                lines += ["", "## %s: %s" % (current, BENCHMARKS[current]), "",
                          "| measurement | runs | median | min - max | baseline | ratio | target |",
                          "|---|---|---|---|---|---|---|"]
            lines.append("| %s | %d | %.2f s | %.2f - %.2f | %s | %s | %s |" % (
                entry["name"], len(entry["times"]), entry["median"], entry["min"], entry["max"],
                entry["baseline"]["name"] if entry["baseline"] else "",
                ratio_text(entry), target_text(entry)))
        facts = [(e, x) for e in self.results for x in e["extras"][-1:] if "requests" not in x]
        if facts:
            lines += ["", "## What each converge did (its last run)", "",
                      "| benchmark | measurement | host | changed releases | creator tasks | data checks (by the "
                      "module) | qbt_releases task | manifest tasks |", "|---|---|---|---|---|---|---|---|"]
            for entry, extra in facts:
                for host, fact in sorted(extra.items()):
                    lines.append("| %s | %s | %s | %d | %d | %d (%d) | %.2f s | %.2f s |" % (
                        entry["benchmark"], entry["name"], host, fact["changed"], fact["creator_tasks"],
                        fact["checked"], fact["checked_by_module"], fact["module_seconds"], fact["manifest_seconds"]))
        counted = [(e, x["requests"]) for e in self.results for x in e["extras"][-1:] if "requests" in x]
        for entry, requests in counted:
            lines += ["", "## HTTP requests of one no-op qbt_releases run (%s)" % entry["benchmark"], "",
                      "| endpoint | requests | seconds waiting |", "|---|---|---|"]
            for endpoint, (number, seconds) in sorted(requests.items(), key=lambda item: -item[1][0]):
                lines.append("| `%s` | %d | %.2f |" % (endpoint, number, seconds))
        if self.notes:
            lines += ["", "## Notes", ""] + ["- %s" % note for note in self.notes]
        return "\n".join(lines) + "\n"


# ---- helpers ---------------------------------------------------------------------------------------------------------
def remove(path):
    if os.path.exists(path):
        os.remove(path)


def ratio(entry):
    return entry["median"] / entry["baseline"]["median"]


def ratio_text(entry):
    if not entry["baseline"]:
        return ""
    text = "%.1fx" % ratio(entry)
    rounds = entry.get("round_ratios")
    if rounds and len(rounds) > 1:
        text += " (per round: median %.1fx, %.1f-%.1fx)" % (statistics.median(rounds), min(rounds), max(rounds))
    return text


def target_text(entry):
    target = TARGETS.get((entry["benchmark"], entry["name"]))
    if not target:
        return ""
    dummy, limit, seconds, text = target
    met = (limit is None or ratio(entry) <= limit) and (seconds is None or entry["median"] <= seconds)
    return "%s: %s" % (text, "met" if met else "**missed**")


def role_facts(output):
    """Per host: releases changed, creator tasks run, data checks, seconds in qbt_releases and in the manifest."""
    facts = {}
    for task in output["tasks"]:
        for host, result in task["hosts"].items():
            fact = facts.setdefault(host, dict(changed=0, creator_tasks=0, checked=0, checked_by_module=0,
                                               module_seconds=0.0, manifest_seconds=0.0, hashes={}))
            if result["status"] == "skipped":
                continue
            if "releases" in result:
                fact["module_seconds"] += task["seconds"]
                for release in result["releases"]:
                    fact["changed"] += bool(release.get("changed"))
                    fact["creator_tasks"] += bool(release.get("task_id"))
                    # a received release's copy, checked before it was added: by the module or by qBittorrent
                    fact["checked"] += release.get("data_check") in ("module", "qbittorrent")
                    fact["checked_by_module"] += release.get("data_check") == "module"
                    fact["hashes"][release["name"]] = (release.get("info_hash_v1"), release.get("info_hash_v2"),
                                                       release.get("seeding"))
            elif "manifest" in task["name"].lower():
                fact["manifest_seconds"] += task["seconds"]
    return facts


def check_creator_tasks(entry, expected):
    for extra in entry["extras"]:
        for host, want in expected.items():
            got = extra.get(host, {}).get("creator_tasks")
            if got != want:
                raise SystemExit("bench: %s / %s: %s ran %s creator tasks, expected %d"
                                 % (entry["benchmark"], entry["name"], host, got, want))


def check_fleet(entry, count):
    """Build once, seed everywhere: every seeder checked each release once and all seed the same info hashes."""
    for extra in entry["extras"]:
        reference = extra["seed1"]["hashes"]
        for host in ("seed2", "seed3"):
            if extra[host]["checked"] != count:
                raise SystemExit("bench: %s: %s checked %d copies, expected %d" % (
                    entry["name"], host, extra[host]["checked"], count))
            if extra[host]["hashes"] != reference:
                raise SystemExit("bench: %s: %s does not seed the builder's info hashes" % (entry["name"], host))
        if not all(seeding for dummy, dummy2, seeding in reference.values()):
            raise SystemExit("bench: %s: not every release seeds on the builder" % entry["name"])


COUNT_REQUESTS = """
import atexit, collections, json, runpy, sys, time
import requests
counts, spent = collections.Counter(), collections.Counter()
send = requests.Session.request
def counted(self, method, url, *args, **kwargs):
    started = time.monotonic()
    try:
        return send(self, method, url, *args, **kwargs)
    finally:
        endpoint = url.split("/api/v2/")[-1]
        counts[endpoint] += 1
        spent[endpoint] += time.monotonic() - started
requests.Session.request = counted
atexit.register(lambda: print(json.dumps(dict((k, [n, round(spent[k], 3)]) for k, n in counts.items())),
                              file=sys.stderr))
sys.argv = sys.argv[1:]
runpy.run_module(sys.argv[0], run_name="__main__")
"""

ROLE_PLAY = """---
- name: Releases (the role; the releases and defaults are host_vars)
  hosts: all
  gather_facts: false
  roles:
    - torrentops.qbittorrent.release
"""

STAT_LOOP_PLAY = """---
- name: One ansible.builtin.stat per release
  hosts: all
  gather_facts: false
  tasks:
    - name: Stat the release
      ansible.builtin.stat:
        path: "{{ item.source_path }}"
        get_checksum: false
      loop: "{{ qbt_releases }}"
"""

STAT_ONE_PLAY = """---
- name: One ansible.builtin.stat task
  hosts: all
  gather_facts: false
  tasks:
    - name: Stat the first release
      ansible.builtin.stat:
        path: "{{ bench_source }}"
        get_checksum: false
"""

EMPTY_PLAY = """---
- name: No task at all (Ansible's start-up and inventory)
  hosts: all
  gather_facts: false
  tasks: []
"""

CREATE_PLAY = """---
- name: One qbt_torrent_create
  hosts: all
  gather_facts: false
  tasks:
    - name: The .torrent
      torrentops.qbittorrent.qbt_torrent_create:
        host: "{{ bench_host }}"
        username: admin
        password: "{{ qbt_release_password }}"
        source_path: "{{ bench_source }}"
        dest: "{{ bench_dest }}"
        format: "{{ bench_format }}"
        piece_size: "{{ bench_piece_size }}"
        timeout: 1800
"""


def main():
    parser = argparse.ArgumentParser(prog="bench/run", description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("names", nargs="*", metavar="BENCHMARK", help="benchmarks to run (default: all); --list")
    parser.add_argument("--quick", action="store_true", help="fewer runs (2) and a smaller time budget")
    parser.add_argument("--runs", type=int, help="runs of each measurement (default 5; slow ones fewer)")
    parser.add_argument("--budget", type=float,
                        help="seconds one measurement may take before its runs stop early (default 150)")
    parser.add_argument("--out", help="Markdown file for the figures (default: /tmp/torrentops-bench-DATE.md); "
                                      "a .json with the raw times is written next to it")
    parser.add_argument("--port-base", type=int, default=35080, help="servers listen on BASE+1... (default 35080)")
    parser.add_argument("--tmpdir", default="/tmp", help="where the temporary data directory is made")
    parser.add_argument("--keep", action="store_true", help="keep the servers' data and the temporary directory")
    parser.add_argument("--list", action="store_true", help="list the benchmarks")
    parser.add_argument("--project", default=os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                        help=argparse.SUPPRESS)
    parser.add_argument("--venv", default=os.path.expanduser("~/.cache/torrentops/venv-2.19"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.list:
        for name, text in BENCHMARKS.items():
            print("%-9s %s" % (name, text))
        return
    unknown = [name for name in args.names if name not in BENCHMARKS]
    if unknown:
        parser.error("unknown benchmark %s; --list shows them" % ", ".join(unknown))
    names = [name for name in BENCHMARKS if name in args.names] if args.names else list(BENCHMARKS)
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%d-%H%M%S")
    out = args.out or "/tmp/torrentops-bench-%s.md" % stamp
    user_args, skip = [], False
    for arg in sys.argv[1:]:
        if skip or arg in ("--project", "--venv"):
            skip = not skip
            continue
        user_args.append(arg)
    command = " ".join(["bench/run"] + user_args)
    bench = Bench(args)
    bench.describe_machine()
    try:
        for name in names:
            log("=== %s: %s" % (name, BENCHMARKS[name]))
            if name == "role200":
                bench.role_one_server(name, 200)
            elif name == "role2000":
                bench.role_one_server(name, 2000, loop=False)
            elif name == "loop2000":
                bench.role_one_server(name, 2000, converge_too=False)
            elif name == "fleet200":
                bench.fleet()
            elif name == "create1g":
                bench.create1g()
            elif name == "noop":
                bench.noop()
    finally:
        bench.stop_servers()
        bench.machine["load_at_end"] = " ".join("%.2f" % x for x in os.getloadavg())
        if bench.results:
            text = bench.markdown(command.strip())
            with open(out, "w") as handle:
                handle.write(text)
            with open(os.path.splitext(out)[0] + ".json", "w") as handle:
                json.dump(dict(machine=dict(bench.machine, qbittorrent=sorted(bench.machine.get("qbittorrent", []))),
                               command=command.strip(), notes=bench.notes,
                               results=[dict((k, v) for k, v in e.items() if k not in ("baseline", "extras"))
                                        for e in bench.results]), handle, indent=1)
            print(text)
            log("figures written to %s" % out)
        if args.keep:
            log("kept %s" % bench.tmp)
        else:
            shutil.rmtree(bench.tmp, ignore_errors=True)


if __name__ == "__main__":
    main()

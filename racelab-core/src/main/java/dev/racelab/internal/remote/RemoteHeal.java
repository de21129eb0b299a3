package dev.racelab.internal.remote;

import java.util.List;

/**
 * Undoes on a host what racelab left there when it was killed mid-run: each worker JVM whose pid
 * a run directory under {@code ~/.racelab/runs} lists (and only while /proc shows that pid runs
 * racelab's worker class: a pid the kernel gave to another process since is left alone) is
 * continued and killed; the run directories are removed; every nftables table named
 * {@code racelab_*} is deleted. Nothing else is touched.
 */
public final class RemoteHeal {
    /** The shell line that heals a host; each thing undone is said on a line of its own. */
    static final String SCRIPT = String.join(" ",
            "cd " + RemoteInstall.HOME_DIR + "/runs 2>/dev/null && for d in */; do [ -d \"$d\" ] || continue;",
            "for p in $(cat \"$d/pids\" 2>/dev/null); do",
            "if tr '\\0' ' ' < /proc/$p/cmdline 2>/dev/null | grep -q dev.racelab.internal.run.WorkerMain; then",
            "kill -CONT $p; kill -KILL $p && echo \"killed worker pid $p ($d)\"; fi; done;",
            "rm -rf \"$d\" && echo \"removed run directory ~/" + RemoteInstall.HOME_DIR + "/runs/$d\"; done;",
            "command -v nft >/dev/null 2>&1 && nft list tables 2>/dev/null | while read -r kw fam name; do",
            "case \"$name\" in racelab_*) nft delete table \"$fam\" \"$name\" && echo \"deleted nftables table $fam $name\";; esac; done;",
            "true");

    private RemoteHeal() {
    }

    /** What healing one host did: the lines it said, or why it could not reach the host. */
    public record Healed(SshTarget target, boolean reached, List<String> undone, String error) {
    }

    public static Healed heal(Ssh ssh, SshTarget target) {
        Ssh.Result r = ssh.run(target, SCRIPT, null);
        if (!r.ok()) return new Healed(target, false, List.of(), r.err().isBlank() ? "exit " + r.exitCode() : r.err().lines().findFirst().orElse(""));
        return new Healed(target, true, r.out().lines().filter(l -> !l.isBlank()).toList(), null);
    }
}

package dev.racelab.internal.cli;

import dev.racelab.core.Clock;
import dev.racelab.core.UsageException;
import dev.racelab.internal.lab.LabSshHosts;
import dev.racelab.internal.lab.LabTopology;
import dev.racelab.internal.lab.Labs;
import dev.racelab.internal.remote.RemoteHeal;
import dev.racelab.internal.remote.Ssh;
import dev.racelab.internal.remote.SshHosts;
import dev.racelab.internal.remote.SshTarget;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code racelab faults heal}: undoes what a racelab killed mid-run left on the hosts. */
@Command(name = "faults", mixinStandardHelpOptions = true,
        description = "Faults racelab injected and left behind. 'faults heal' undoes them after racelab itself was killed mid-run.",
        subcommands = {FaultsCommand.Heal.class})
public final class FaultsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "heal", mixinStandardHelpOptions = true,
            description = {"Undoes on each host what a racelab run killed mid-run left there: the nftables tables racelab made"
                    + " (named racelab_*), its worker JVMs (by the pids its run directories list, only while /proc shows"
                    + " racelab's worker class under them; a stopped one is continued first) and its run directories"
                    + " (~/.racelab/runs). With --lab, first the tables the lab's state records (a cut host is unreachable"
                    + " until they are gone), then every plain host of the lab over ssh with the lab's key."})
    static final class Heal implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--lab", paramLabel = "NAME", description = "the lab whose hosts to heal")
        String lab;

        @Option(names = "--hosts", paramLabel = "USER@HOST[:PORT]", split = ",", description = "the hosts to heal over ssh")
        List<String> hosts;

        @Option(names = "--ssh-key", paramLabel = "FILE", description = "the private key ssh logs in with (default: the lab's with --lab)")
        Path sshKey;

        @Override
        public Integer call() {
            if (lab == null && hosts == null) throw new UsageException("racelab faults heal takes --lab NAME or --hosts USER@HOST,...");
            PrintWriter out = spec.commandLine().getOut();
            Map<String, String> labHosts = Map.of();
            Path key = sshKey;
            Path knownHosts = null;
            if (lab != null) {
                Labs labs = new Labs(Clock.SYSTEM, line -> { });
                LabTopology topology = labs.topology(lab);
                int tables = topology.healRecordedTables();
                out.println("lab " + lab + ": " + tables + " nftables table(s) its state recorded deleted");
                LabSshHosts access = labs.sshHosts(lab);
                labHosts = access.addresses();
                if (key == null) key = access.key();
                knownHosts = access.knownHosts();
                if (hosts == null) hosts = List.copyOf(labHosts.keySet());
            }
            if (hosts.isEmpty()) {
                out.println("no hosts to heal");
                out.flush();
                return ExitCode.PASS;
            }
            SshHosts parsed = SshHosts.parse(hosts, labHosts, key, knownHosts);
            Ssh ssh = new Ssh(parsed, line -> out.println("racelab: " + line));
            boolean all = true;
            for (SshTarget t : parsed.targets()) {
                RemoteHeal.Healed h = RemoteHeal.heal(ssh, t);
                if (!h.reached()) {
                    all = false;
                    out.println("host " + t + ": not healed, ssh failed: " + h.error());
                } else if (h.undone().isEmpty()) {
                    out.println("host " + t + ": nothing of racelab's was left");
                } else {
                    for (String line : h.undone()) out.println("host " + t + ": " + line);
                }
            }
            out.flush();
            return all ? ExitCode.PASS : ExitCode.ABORTED;
        }
    }
}

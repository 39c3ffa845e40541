package dev.llmhub.testsupport.process;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** How a test harness runs a server as its own process: one that never outlives the test run. */
public final class ChildProcess {
    private static final Path SETPRIV = Path.of("/usr/bin/setpriv");

    private ChildProcess() {
    }

    /**
     * The command prefixed with {@code setpriv --pdeathsig KILL} where util-linux has it: the kernel
     * then kills the child when the JVM dies, even by SIGKILL. Linux sends that signal when the
     * starting <em>thread</em> ends, so start it from a thread that lives as long as the server should.
     * Without setpriv the command is unchanged (a harness's pid file and shutdown hook are the fallback).
     *
     * @param command the program and its arguments
     * @return the command to start
     */
    public static List<String> diesWithThisJvm(List<String> command) {
        List<String> cmd = new ArrayList<>();
        if (Files.isExecutable(SETPRIV)) {
            cmd.addAll(List.of(SETPRIV.toString(), "--pdeathsig", "KILL", "--"));
        }
        cmd.addAll(command);
        return cmd;
    }

    /**
     * Waits between two polls of a starting or stopping server. An interrupt ends the wait early and
     * stays set, so the caller's loop (which has a deadline) sees it.
     *
     * @param d how long
     */
    public static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package dev.llmhub.server;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The parsed command line.
 *
 * @param config        {@code --config FILE}
 * @param host          {@code --host}, default 0.0.0.0
 * @param port          {@code --port}, default 8000
 * @param pluginsDir    {@code --plugins-dir}, default system property {@code llmhub.plugins.dir}, else ./plugins
 * @param dataDir       {@code --data-dir}: where the journal lives (else {@code LLMHUB_DATA_DIR},
 *                      {@code general_settings.data_dir}, the distribution's {@code data/})
 * @param debug         {@code --debug}: FINE logging of llmhub
 * @param detailedDebug {@code --detailed_debug}: FINEST logging of everything
 * @param test          {@code --test}: send one request to a running proxy and exit
 * @param url           {@code --url} for {@code --test}, default http://0.0.0.0:8000
 * @param model         {@code --model} for {@code --test}, default the proxy's first model
 * @param key           {@code --key} for {@code --test}
 * @param help          {@code --help}
 */
record CliOptions(Optional<Path> config, String host, int port, Path pluginsDir, Optional<Path> dataDir,
                  boolean debug, boolean detailedDebug,
                  boolean test, String url, Optional<String> model, Optional<String> key, boolean help) {

    static final String USAGE = """
            Usage:
              llmhub --config FILE [--host 0.0.0.0] [--port 8000] [--plugins-dir DIR] [--data-dir DIR]
                     [--debug] [--detailed_debug]
              llmhub --test [--url http://0.0.0.0:8000] [--model NAME] [--key KEY]
              llmhub --help

            Serve (an OpenAI-compatible proxy):
              --config FILE      LiteLLM-style config.yaml: model_list, litellm_settings, general_settings,
                                 router_settings, environment_variables (see docs/config.md)
              --host HOST        address to listen on (default 0.0.0.0)
              --port PORT        port to listen on (default 8000; 0 picks a free one)
              --plugins-dir DIR  where destination plugin zips are (default: the distribution's plugins/,
                                 else ./plugins)
              --data-dir DIR     where records wait for their destinations (the journal); default
                                 LLMHUB_DATA_DIR, general_settings.data_dir, else the distribution's data/
              --debug            log llmhub's decisions (routing, retries) at FINE
              --detailed_debug   log everything at FINEST, including Helidon's own logs

            Test a running proxy (sends one chat request, prints the reply, exits 1 on failure):
              --test             send the request
              --url URL          the proxy (default http://0.0.0.0:8000)
              --model NAME       model to ask (default: the first model the proxy lists)
              --key KEY          API key to send as 'Authorization: Bearer KEY'

            Exit status: 0 ok, 1 runtime failure, 2 bad arguments or bad config.
            """;

    /** Bad arguments: the message is printed with a hint to --help and the process exits 2. */
    static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message, null, false, false);
        }
    }

    static CliOptions parse(String[] args) {
        Optional<Path> config = Optional.empty();
        String host = "0.0.0.0";
        int port = 8000;
        String plugins = System.getProperty("llmhub.plugins.dir", "plugins");
        Optional<Path> dataDir = Optional.empty();
        boolean debug = false;
        boolean detailed = false;
        boolean test = false;
        String url = "http://0.0.0.0:8000";
        Optional<String> model = Optional.empty();
        Optional<String> key = Optional.empty();
        boolean help = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String inline = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                inline = arg.substring(eq + 1);
                arg = arg.substring(0, eq);
            }
            switch (arg) {
                case "--config", "-c" -> config = Optional.of(Path.of(value(args, i++, arg, inline)));
                case "--host" -> host = value(args, i++, arg, inline);
                case "--port", "-p" -> {
                    String v = value(args, i++, arg, inline);
                    try {
                        port = Integer.parseInt(v);
                    } catch (NumberFormatException e) {
                        throw new UsageException("--port needs a number, got '" + v + "'");
                    }
                    if (port < 0 || port > 65535) {
                        throw new UsageException("--port must be between 0 and 65535, got " + port);
                    }
                }
                case "--plugins-dir" -> plugins = value(args, i++, arg, inline);
                case "--data-dir" -> dataDir = Optional.of(Path.of(value(args, i++, arg, inline)));
                case "--debug" -> debug = true;
                case "--detailed_debug", "--detailed-debug" -> detailed = true;
                case "--test" -> test = true;
                case "--url" -> url = value(args, i++, arg, inline);
                case "--model", "-m" -> model = Optional.of(value(args, i++, arg, inline));
                case "--key" -> key = Optional.of(value(args, i++, arg, inline));
                case "--help", "-h" -> help = true;
                default -> throw new UsageException("unknown argument '" + args[i] + "'");
            }
            if (inline != null) {
                i--; // the value was part of this argument
            }
        }
        return new CliOptions(config, host, port, Path.of(plugins), dataDir, debug, detailed, test, url, model, key, help);
    }

    private static String value(String[] args, int i, String name, String inline) {
        if (inline != null) {
            return inline;
        }
        if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
            throw new UsageException(name + " needs a value");
        }
        return args[i + 1];
    }
}

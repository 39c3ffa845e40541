package dev.llmhub.core.config;

import dev.llmhub.api.PluginConfigException;
import dev.llmhub.api.PluginSettings;
import dev.llmhub.core.journal.Durability;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Reads a LiteLLM proxy {@code config.yaml} into a {@link HubConfig}. Every problem is a
 * {@link ConfigException} whose message reads {@code FILE:LINE: key.path: problem}; keys llmhub does
 * not know are reported once each as a warning and otherwise ignored, so LiteLLM files keep working.
 */
public final class ConfigLoader {
    private static final Logger LOG = Logger.getLogger(ConfigLoader.class.getName());

    private static final Set<String> TOP = Set.of("model_list", "litellm_settings", "general_settings",
            "router_settings", "environment_variables", "callback_settings");
    private static final Set<String> ENTRY = Set.of("model_name", "litellm_params", "model_info");
    private static final Set<String> PARAMS = Set.of("model", "api_base", "api_key", "api_version", "rpm",
            "tpm", "timeout", "stream_timeout", "max_retries", "mock_response", "input_cost_per_token",
            "output_cost_per_token");
    private static final Set<String> LITELLM = Set.of("callbacks", "success_callback", "failure_callback",
            "callback_settings", "turn_off_message_logging", "global_disable_no_log_param", "num_retries",
            "request_timeout", "drop_params", "set_verbose");
    private static final Set<String> GENERAL = Set.of("master_key", "otel", "redact_headers",
            "max_request_size_mb", "data_dir", "durability", "fsync_interval", "journal", "rejected_requests");
    private static final Set<String> JOURNAL = Set.of("max_disk", "max_age", "segment_size", "max_memory");
    private static final Set<String> REJECTED = Set.of("record", "max_per_second");
    private static final Set<String> ROUTER = Set.of("num_retries", "timeout", "retry_after",
            "routing_strategy", "max_backoff", "allowed_fails", "cooldown_time", "disable_cooldowns",
            "redis_host", "redis_port", "redis_password", "redis_username", "redis_url", "redis_ssl",
            "redis_ssl_ca_certs", "redis_db", "redis_timeout", "redis_namespace");

    private final Map<String, String> environment;
    private final List<String> warnings = new ArrayList<>();
    private final Set<String> warned = new LinkedHashSet<>();

    /** Reads {@code os.environ/} from the process environment. */
    public ConfigLoader() {
        this(System.getenv());
    }

    /** @param environment the variables {@code os.environ/NAME} reads (tests pass their own) */
    public ConfigLoader(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    /** @return the warnings the last load produced (unknown keys…), in order */
    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    /**
     * @param file the config file
     * @return the parsed config
     * @throws ConfigException with file, line and key when the file is unreadable or wrong
     */
    public HubConfig load(Path file) {
        String name = file.toString();
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException(name + ": no such file");
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new ConfigException(name + ": cannot read: " + e.getMessage());
        }
        return parse(name, file, text);
    }

    /** Parses config text; {@code name} is used in messages. */
    public HubConfig parse(String name, Path source, String text) {
        Node root;
        try {
            root = new Compose(LoadSettings.builder().setLabel(name).build()).composeString(text)
                    .orElseThrow(() -> new ConfigException(name + ":1: the file is empty; it needs at least a model_list"));
        } catch (MarkedYamlEngineException e) {
            int line = e.getProblemMark().or(e::getContextMark).map(m -> m.getLine() + 1).orElse(0);
            throw new ConfigException(name + ":" + line + ": YAML syntax error: "
                    + (e.getProblem() == null ? "" : e.getProblem())
                    + (e.getContext() == null ? "" : " (" + e.getContext() + ")"));
        } catch (YamlEngineException e) {
            throw new ConfigException(name + ": YAML error: " + e.getMessage());
        }

        // environment_variables come first: they are the defaults os.environ/ falls back to.
        EnvResolver plainEnv = new EnvResolver(Map.of(), Map.of());
        YamlValue top = new YamlValue(name, "", root, plainEnv);
        Map<String, YamlValue> topEntries = top.entries();
        Map<String, String> envDefaults = new LinkedHashMap<>();
        YamlValue envNode = topEntries.get("environment_variables");
        if (envNode != null && !envNode.isNull()) {
            envNode.entries().forEach((k, v) -> v.text().ifPresent(val -> envDefaults.put(k, val)));
        }
        EnvResolver env = new EnvResolver(environment, envDefaults);
        Map<String, YamlValue> sections = new YamlValue(name, "", root, env).entries();
        warnUnknown(sections, TOP);

        Map<String, YamlValue> litellm = section(sections, "litellm_settings");
        warnUnknown(litellm, LITELLM);
        Map<String, YamlValue> general = section(sections, "general_settings");
        warnUnknown(general, GENERAL);
        Map<String, YamlValue> routerSection = section(sections, "router_settings");
        warnUnknown(routerSection, ROUTER);

        List<DeploymentConfig> deployments = new ArrayList<>();
        YamlValue modelList = sections.get("model_list");
        if (modelList != null && !modelList.isNull()) {
            List<YamlValue> items = modelList.items();
            Set<String> ids = new java.util.HashSet<>();
            for (int i = 0; i < items.size(); i++) {
                DeploymentConfig d = deployment(items.get(i), i, env);
                if (!ids.add(d.id())) {
                    throw items.get(i).error("model_info.id '" + d.id() + "' is used twice");
                }
                deployments.add(d);
            }
        }
        if (deployments.isEmpty()) {
            warn(name + ":1: model_list is empty: every model request will answer 400");
        }

        Optional<String> masterKey = Optional.empty();
        YamlValue mk = general.get("master_key");
        if (mk != null && !mk.isNull()) {
            // An unset variable must not silently leave the proxy open.
            masterKey = Optional.of(mk.text().filter(s -> !s.isBlank()).orElseThrow(
                    () -> mk.error("the master key resolves to nothing (is its environment variable set?)")));
        }
        long maxBody = GeneralSettings.DEFAULT_MAX_BODY;
        YamlValue maxMb = general.get("max_request_size_mb");
        if (maxMb != null) {
            double mb = maxMb.decimal().orElse(10.0);
            if (mb <= 0) {
                throw maxMb.error("must be positive");
            }
            maxBody = (long) (mb * 1024 * 1024);
        }

        RouterSettings defaults = RouterSettings.defaults();
        long numRetries = firstLong(routerSection.get("num_retries"), litellm.get("num_retries"))
                .orElse((long) defaults.numRetries());
        if (numRetries < 0) {
            throw (routerSection.containsKey("num_retries") ? routerSection.get("num_retries")
                    : litellm.get("num_retries")).error("must not be negative");
        }
        Duration timeout = seconds(routerSection.get("timeout")).or(() -> seconds(litellm.get("request_timeout")))
                .orElse(defaults.timeout());
        Duration retryAfter = seconds(routerSection.get("retry_after")).orElse(defaults.retryAfter());
        Duration maxBackoff = seconds(routerSection.get("max_backoff")).orElse(defaults.maxBackoff());
        YamlValue strategy = routerSection.get("routing_strategy");
        if (strategy != null) {
            strategy.text().filter(s -> !s.equals("simple-shuffle")).ifPresent(s -> warn(strategy.where() + ": "
                    + strategy.path() + ": '" + s + "' is not supported; using simple-shuffle (weighted by rpm)"));
        }
        long allowedFails = integer(routerSection.get("allowed_fails")).orElse((long) RouterSettings.DEFAULT_ALLOWED_FAILS);
        if (allowedFails < 0 || allowedFails > Integer.MAX_VALUE) {
            throw routerSection.get("allowed_fails").error("must be a whole number >= 0");
        }
        Duration cooldownTime = nonNegativeSeconds(routerSection.get("cooldown_time"))
                .orElse(RouterSettings.DEFAULT_COOLDOWN_TIME);
        boolean cooldowns = !bool(routerSection.get("disable_cooldowns"));
        RouterSettings router = new RouterSettings((int) Math.min(numRetries, 100), timeout, retryAfter, maxBackoff,
                (int) allowedFails, cooldownTime, cooldowns, redis(routerSection));

        boolean disableNoLog = bool(litellm.get("global_disable_no_log_param"));
        DeliveryConfig delivery = delivery(sections, litellm, general, envDefaults);
        JournalSettings journal = journal(general);
        return new HubConfig(source, deployments, new GeneralSettings(masterKey, maxBody, journal,
                rejectedRequests(general)), router, disableNoLog,
                delivery);
    }

    private DeploymentConfig deployment(YamlValue item, int index, EnvResolver env) {
        Map<String, YamlValue> entry = item.entries();
        warnUnknown(entry, ENTRY);
        YamlValue nameNode = entry.get("model_name");
        if (nameNode == null) {
            throw item.error("model_name is missing");
        }
        String modelName = nameNode.requiredText();
        YamlValue paramsNode = entry.get("litellm_params");
        if (paramsNode == null || paramsNode.isNull()) {
            throw item.error("litellm_params is missing (it needs at least 'model')");
        }
        Map<String, YamlValue> p = paramsNode.entries();
        warnUnknown(p, PARAMS);
        YamlValue modelNode = p.get("model");
        if (modelNode == null) {
            throw paramsNode.error("model is missing, e.g. model: openai/gpt-4o-mini");
        }
        String model = modelNode.requiredText();
        Optional<String> mock = text(p.get("mock_response"));
        Optional<String> apiBase = text(p.get("api_base")).filter(s -> !s.isBlank());
        if (apiBase.isPresent() && !apiBase.get().matches("(?i)https?://.+")) {
            throw p.get("api_base").error("must be an http:// or https:// URL");
        }

        ProviderKind provider;
        String upstreamModel;
        int slash = model.indexOf('/');
        if (slash > 0) {
            String prefix = model.substring(0, slash);
            upstreamModel = model.substring(slash + 1);
            Optional<ProviderKind> kind = ProviderKind.fromPrefix(prefix);
            if (kind.isEmpty() && mock.isEmpty()) {
                throw modelNode.error("unknown provider '" + prefix + "' in '" + model + "'; supported: "
                        + ProviderKind.SUPPORTED + " and bare OpenAI model names");
            }
            provider = mock.isPresent() ? ProviderKind.MOCK : kind.get();
        } else {
            upstreamModel = model;
            if (mock.isPresent()) {
                provider = ProviderKind.MOCK;
            } else if (apiBase.isPresent() || looksLikeOpenAi(model)) {
                provider = ProviderKind.OPENAI;
            } else {
                throw modelNode.error("unknown provider for '" + model + "': prefix it with one of "
                        + ProviderKind.SUPPORTED + " (e.g. openai/" + model + ")");
            }
        }

        Optional<String> apiKey = text(p.get("api_key")).filter(s -> !s.isBlank());
        Optional<String> apiVersion = text(p.get("api_version")).filter(s -> !s.isBlank());
        if (provider == ProviderKind.OPENAI && apiKey.isEmpty() && apiBase.isEmpty()) {
            apiKey = env.lookup("OPENAI_API_KEY");
            if (apiKey.isEmpty()) {
                warn(modelNode.where() + ": " + modelNode.path() + ": no api_key and OPENAI_API_KEY is not set;"
                        + " calls to '" + modelName + "' will fail with 401 (or add mock_response to try without a key)");
            }
        }
        if (provider == ProviderKind.ANTHROPIC && apiKey.isEmpty()) {
            apiKey = env.lookup("ANTHROPIC_API_KEY");
            if (apiKey.isEmpty() && apiBase.isEmpty()) {
                warn(modelNode.where() + ": " + modelNode.path() + ": no api_key and ANTHROPIC_API_KEY is not set;"
                        + " calls to '" + modelName + "' will fail with 401");
            }
        }
        if (provider == ProviderKind.AZURE) {
            if (apiKey.isEmpty()) {
                apiKey = env.lookup("AZURE_API_KEY");
            }
            if (apiBase.isEmpty()) {
                apiBase = env.lookup("AZURE_API_BASE");
            }
            if (apiVersion.isEmpty()) {
                apiVersion = env.lookup("AZURE_API_VERSION");
            }
            if (apiBase.isEmpty()) {
                throw paramsNode.error("an azure/ model needs api_base (or AZURE_API_BASE), e.g. https://NAME.openai.azure.com/");
            }
        }

        OptionalInt rpm = positiveInt(p.get("rpm"));
        OptionalLong tpm = positiveLong(p.get("tpm"));
        Optional<Duration> timeout = seconds(p.get("timeout"));
        OptionalInt maxRetries = OptionalInt.empty();
        YamlValue mr = p.get("max_retries");
        if (mr != null && !mr.isNull()) {
            long v = mr.integer().orElse(0L);
            if (v < 0 || v > 100) {
                throw mr.error("must be between 0 and 100");
            }
            maxRetries = OptionalInt.of((int) v);
        }
        Optional<Double> inCost = cost(p.get("input_cost_per_token"));
        Optional<Double> outCost = cost(p.get("output_cost_per_token"));

        Map<String, Object> modelInfo = new LinkedHashMap<>();
        YamlValue info = entry.get("model_info");
        if (info != null && !info.isNull()) {
            if (!info.isMapping()) {
                throw info.error("expected a mapping");
            }
            Object plain = info.plain();
            if (plain instanceof Map<?, ?> m) {
                m.forEach((k, v) -> modelInfo.put(String.valueOf(k), v));
            }
        }
        String id = modelInfo.get("id") instanceof Object o && o != null ? String.valueOf(o) : modelName + "-" + index;
        return new DeploymentConfig(id, modelName, model, provider, upstreamModel, apiBase, apiKey, apiVersion,
                rpm, tpm, timeout, maxRetries, mock, inCost, outCost, modelInfo, item.line());
    }

    /** Bare names LiteLLM routes to OpenAI without a prefix. */
    private static boolean looksLikeOpenAi(String model) {
        String m = model.toLowerCase(Locale.ROOT);
        return m.startsWith("gpt-") || m.startsWith("chatgpt-") || m.matches("o[1-9](-.*)?")
                || m.startsWith("text-embedding-") || m.startsWith("ft:") || m.startsWith("davinci")
                || m.startsWith("babbage") || m.startsWith("text-davinci") || m.startsWith("omni-")
                || m.startsWith("codex-") || m.startsWith("text-moderation");
    }

    private DeliveryConfig delivery(Map<String, YamlValue> top, Map<String, YamlValue> litellm,
                                    Map<String, YamlValue> general, Map<String, String> envDefaults) {
        List<String> callbacks = list(litellm.get("callbacks"));
        List<String> success = list(litellm.get("success_callback"));
        List<String> failure = list(litellm.get("failure_callback"));
        Map<String, Map<String, Object>> settings = new LinkedHashMap<>();
        Map<String, Map<String, YamlValue>> laneKeys = new LinkedHashMap<>();
        for (YamlValue cs : new YamlValue[] {top.get("callback_settings"), litellm.get("callback_settings")}) {
            if (cs == null || cs.isNull()) {
                continue;
            }
            cs.entries().forEach((dest, v) -> {
                if (v.isNull()) {
                    settings.putIfAbsent(dest, Map.of());
                    return;
                }
                if (!v.isMapping()) {
                    throw v.error("expected the destination's settings as a mapping");
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> m = (Map<String, Object>) v.plain();
                Map<String, Object> merged = new LinkedHashMap<>(settings.getOrDefault(dest, Map.of()));
                merged.putAll(m);
                settings.put(dest, java.util.Collections.unmodifiableMap(merged));
                v.entries().forEach((k, kv) -> {
                    if (LaneTuning.KEYS.contains(k)) {
                        laneKeys.computeIfAbsent(dest, d -> new LinkedHashMap<>()).put(k, kv);
                    }
                });
            });
        }
        Map<String, LaneTuning> tuning = new LinkedHashMap<>();
        laneKeys.forEach((dest, keys) -> tuning.put(dest, tuning(keys)));
        boolean otel = bool(general.get("otel"));
        boolean turnOff = bool(litellm.get("turn_off_message_logging"));
        List<String> redact = list(general.get("redact_headers")).stream()
                .map(h -> h.toLowerCase(Locale.ROOT)).toList();
        return new DeliveryConfig(callbacks, success, failure, otel, settings, tuning, turnOff, redact, envDefaults);
    }

    /** The lane keys of one {@code callback_settings.<name>}, each checked where it is written. */
    private static LaneTuning tuning(Map<String, YamlValue> k) {
        return new LaneTuning(
                atLeastOne(k.get("batch_size")), bytesOpt(k.get("batch_max_bytes")),
                duration(k.get("flush_interval"), false), atLeastOne(k.get("max_concurrent_exports")),
                duration(k.get("export_timeout"), true), duration(k.get("max_retry_elapsed"), false),
                duration(k.get("retry_initial_backoff"), false), duration(k.get("retry_max_backoff"), false),
                duration(k.get("drain_timeout"), false), atLeastOne(k.get("queue_size")),
                Optional.ofNullable(k.get("message_logging")).map(v -> v.bool()
                        .orElseThrow(() -> v.error("expected true or false"))),
                Optional.ofNullable(k.get("start_from")).map(v -> switch (v.requiredText().strip().toLowerCase(Locale.ROOT)) {
                    case "head", "latest" -> LaneTuning.StartPosition.HEAD;
                    case "earliest" -> LaneTuning.StartPosition.EARLIEST;
                    default -> throw v.error("expected head or earliest");
                }));
    }

    /**
     * {@code router_settings.redis_*}: LiteLLM's {@code redis_host}/{@code redis_port}/{@code redis_password}
     * or a {@code redis_url} ({@code redis://} or {@code rediss://} for TLS). Values are never echoed in
     * messages: a URL or password may carry a secret.
     */
    private Optional<RedisSettings> redis(Map<String, YamlValue> r) {
        Optional<String> url = text(r.get("redis_url")).map(String::strip).filter(s -> !s.isEmpty());
        Optional<String> host = text(r.get("redis_host")).map(String::strip).filter(s -> !s.isEmpty());
        if (url.isEmpty() && host.isEmpty()) {
            for (String k : List.of("redis_port", "redis_password", "redis_username", "redis_ssl", "redis_ssl_ca_certs",
                    "redis_db", "redis_timeout", "redis_namespace")) {
                YamlValue v = r.get(k);
                if (v != null && !v.isNull()) {
                    warn(v.where() + ": " + v.path() + ": ignored: neither redis_host nor redis_url is set"
                            + " (is its environment variable set?); each replica counts its limits alone");
                }
            }
            return Optional.empty();
        }
        int port = RedisSettings.DEFAULT_PORT;
        int database = 0;
        Optional<String> username = Optional.empty();
        Optional<String> password = Optional.empty();
        boolean tls = false;
        String h;
        if (url.isPresent()) {
            YamlValue where = r.get("redis_url");
            java.net.URI uri;
            try {
                uri = new java.net.URI(url.get());
            } catch (java.net.URISyntaxException e) {
                throw where.error("not a valid URL; expected redis://[user:password@]host[:port][/db] or rediss://…");
            }
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("redis") && !scheme.equals("rediss")) {
                throw where.error("expected a redis:// or rediss:// URL, got a '" + scheme + "' one");
            }
            if (uri.getHost() == null || uri.getHost().isEmpty()) {
                throw where.error("the URL has no host; expected redis://[user:password@]host[:port][/db]");
            }
            tls = scheme.equals("rediss");
            h = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1) : uri.getHost();
            port = uri.getPort() > 0 ? uri.getPort() : RedisSettings.DEFAULT_PORT;
            String userInfo = uri.getUserInfo();
            if (userInfo != null && !userInfo.isEmpty()) {
                int colon = userInfo.indexOf(':');
                String user = colon < 0 ? "" : userInfo.substring(0, colon);
                String pass = colon < 0 ? userInfo : userInfo.substring(colon + 1);
                username = Optional.of(user).filter(u -> !u.isEmpty() && !u.equals("default"));
                password = Optional.of(pass).filter(p -> !p.isEmpty());
            }
            String path = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
            if (!path.isEmpty()) {
                try {
                    database = Integer.parseInt(path);
                } catch (NumberFormatException e) {
                    throw where.error("the URL's path must be a database number, e.g. redis://host:6379/0");
                }
            }
            if (host.isPresent()) {
                warn(r.get("redis_host").where() + ": " + r.get("redis_host").path()
                        + ": ignored: redis_url is set and names the host");
            }
        } else {
            h = host.get();
            YamlValue p = r.get("redis_port");
            if (p != null && !p.isNull()) {
                long n = p.integer().orElseThrow(() -> p.error("expected a port number"));
                if (n < 1 || n > 65535) {
                    throw p.error("expected a port between 1 and 65535, got " + n);
                }
                port = (int) n;
            }
        }
        YamlValue db = r.get("redis_db");
        if (db != null && !db.isNull()) {
            long n = db.integer().orElseThrow(() -> db.error("expected a database number"));
            if (n < 0 || n > Integer.MAX_VALUE) {
                throw db.error("expected a database number >= 0");
            }
            database = (int) n;
        }
        Optional<String> user = text(r.get("redis_username")).filter(s -> !s.isBlank());
        if (user.isPresent()) {
            username = user;
        }
        YamlValue pw = r.get("redis_password");
        if (pw != null && !pw.isNull()) {
            // like master_key: a password whose variable is unset must not silently mean "no password"
            password = Optional.of(pw.text().filter(s -> !s.isEmpty()).orElseThrow(
                    () -> pw.error("the password resolves to nothing (is its environment variable set?)")));
        }
        YamlValue ssl = r.get("redis_ssl");
        if (ssl != null && !ssl.isNull()) {
            tls = tls || ssl.bool().orElseThrow(() -> ssl.error("expected true or false"));
        }
        Optional<java.nio.file.Path> ca = text(r.get("redis_ssl_ca_certs")).filter(s -> !s.isBlank()).map(java.nio.file.Path::of);
        if (ca.isPresent() && !Files.isReadable(ca.get())) {
            throw r.get("redis_ssl_ca_certs").error("cannot read " + ca.get());
        }
        if (ca.isPresent() && !tls) {
            warn(r.get("redis_ssl_ca_certs").where() + ": " + r.get("redis_ssl_ca_certs").path()
                    + ": ignored: TLS is off (use rediss:// or redis_ssl: true)");
        }
        Duration timeout = duration(r.get("redis_timeout"), true).orElse(RedisSettings.DEFAULT_TIMEOUT);
        String namespace = text(r.get("redis_namespace")).map(String::strip).filter(s -> !s.isEmpty())
                .orElse(RedisSettings.DEFAULT_NAMESPACE);
        if (namespace.contains("{") || namespace.contains("}")) {
            throw r.get("redis_namespace").error("must not contain { or } (they mark Redis hash tags)");
        }
        return Optional.of(new RedisSettings(h, port, database, username, password, tls, ca, timeout, namespace));
    }

    private JournalSettings journal(Map<String, YamlValue> general) {
        JournalSettings d = JournalSettings.defaults();
        Optional<java.nio.file.Path> dataDir = text(general.get("data_dir")).filter(s -> !s.isBlank())
                .map(java.nio.file.Path::of);
        Durability durability = d.durability();
        YamlValue dur = general.get("durability");
        if (dur != null && !dur.isNull()) {
            String v = dur.requiredText().strip().toLowerCase(Locale.ROOT);
            durability = java.util.Arrays.stream(Durability.values()).filter(x -> x.wireName().equals(v)).findFirst()
                    .orElseThrow(() -> dur.error("expected process, fsync or memory, got '" + v + "'"));
        }
        Duration fsyncInterval = duration(general.get("fsync_interval"), false).orElse(d.fsyncInterval());
        Map<String, YamlValue> j = section(general, "journal");
        String kind = text(j.get("kind")).map(k -> k.strip().toLowerCase(Locale.ROOT)).orElse("local");
        if (!kind.equals("local") && !kind.equals("kafka")) {
            throw j.get("kind").error("expected local or kafka, got '" + kind + "'");
        }
        Optional<KafkaJournalSettings> kafka = Optional.empty();
        if (kind.equals("kafka")) {
            j.forEach((k, v) -> {
                if (!k.equals("kind") && !JOURNAL.contains(k) && !KafkaJournalSection.knows(k)) {
                    warn(v.where() + ": " + v.path() + ": unknown key, ignored");
                } else if (k.equals("segment_size") || k.equals("max_memory")) {
                    warn(v.where() + ": " + v.path() + ": applies to the local journal only; ignored with kind: kafka");
                }
            });
            if (general.containsKey("fsync_interval")) {
                YamlValue f = general.get("fsync_interval");
                warn(f.where() + ": " + f.path() + ": applies to the local journal only; ignored with kind: kafka");
            }
            kafka = Optional.of(KafkaJournalSection.parse(j, durability, this::warn));
        } else {
            j.forEach((k, v) -> {
                if (!JOURNAL.contains(k) && KafkaJournalSection.knows(k)) {
                    warn(v.where() + ": " + v.path() + ": applies to kind: kafka only; ignored by the local journal");
                } else if (!k.equals("kind") && !JOURNAL.contains(k)) {
                    warn(v.where() + ": " + v.path() + ": unknown key, ignored");
                }
            });
        }
        long maxDisk = bytesOpt(j.get("max_disk")).orElse(d.maxDiskBytes());
        Duration maxAge = duration(j.get("max_age"), true).orElse(d.maxAge());
        long segment = bytesOpt(j.get("segment_size")).orElse(d.segmentBytes());
        long maxMemory = bytesOpt(j.get("max_memory")).orElse(d.maxMemoryBytes());
        if (j.containsKey("segment_size") && segment < 4096) {
            throw j.get("segment_size").error("must be at least 4 KiB");
        }
        return new JournalSettings(dataDir, durability, fsyncInterval, maxDisk, maxAge, segment, maxMemory, kafka);
    }

    private RejectedRequestSettings rejectedRequests(Map<String, YamlValue> general) {
        RejectedRequestSettings d = RejectedRequestSettings.defaults();
        Map<String, YamlValue> r = section(general, "rejected_requests");
        warnUnknown(r, REJECTED);
        YamlValue record = r.get("record");
        return new RejectedRequestSettings(record == null ? d.record() : record.bool().orElse(d.record()),
                atLeastOne(r.get("max_per_second")).orElse(d.maxPerSecond()));
    }

    private static OptionalInt atLeastOne(YamlValue v) {
        if (v == null || v.isNull()) {
            return OptionalInt.empty();
        }
        long n = v.integer().orElseThrow(() -> v.error("expected a whole number"));
        if (n < 1 || n > Integer.MAX_VALUE) {
            throw v.error("expected a whole number >= 1, got " + n);
        }
        return OptionalInt.of((int) n);
    }

    /** A size: a number of bytes or text like {@code 512KiB}, {@code 64MB}, {@code 1GiB}. */
    private static OptionalLong bytesOpt(YamlValue v) {
        if (v == null || v.isNull()) {
            return OptionalLong.empty();
        }
        String t = v.requiredText().strip();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)([0-9]+(?:\\.[0-9]+)?)\\s*([kmgt]?)(i?b)?").matcher(t);
        if (!m.matches()) {
            throw v.error("expected a size such as 1048576, 512KiB, 64MiB or 1GiB, got '" + t + "'");
        }
        double n = Double.parseDouble(m.group(1));
        int shift = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            case "t" -> 40;
            default -> 0;
        };
        long bytes = (long) (n * (1L << shift));
        if (bytes < 1) {
            throw v.error("must be at least 1 byte");
        }
        return OptionalLong.of(bytes);
    }

    /** A duration: seconds, or text like {@code 500ms}, {@code 5s}, {@code 2m}, {@code 24h}. */
    static Optional<Duration> duration(YamlValue v, boolean mustBePositive) {
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        Duration d;
        try {
            d = new PluginSettings(v.path(), Map.of("value", v.plain())).duration("value").orElseThrow();
        } catch (PluginConfigException e) {
            throw v.error("expected a duration such as 500ms, 5s, 2m, 24h or a number of seconds");
        }
        if (d.isNegative() || (mustBePositive && d.isZero())) {
            throw v.error("expected a " + (mustBePositive ? "positive" : "non-negative") + " duration");
        }
        return Optional.of(d);
    }

    private static Map<String, YamlValue> section(Map<String, YamlValue> top, String key) {
        YamlValue v = top.get(key);
        if (v == null || v.isNull()) {
            return Map.of();
        }
        return v.entries();
    }

    private void warnUnknown(Map<String, YamlValue> entries, Set<String> known) {
        entries.forEach((k, v) -> {
            if (!known.contains(k)) {
                warn(v.where() + ": " + v.path() + ": unknown key, ignored");
            }
        });
    }

    private void warn(String message) {
        if (warned.add(message)) {
            warnings.add(message);
            LOG.log(Level.WARNING, message);
        }
    }

    private static List<String> list(YamlValue v) {
        if (v == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String s : v.stringList()) {
            for (String part : s.split(",")) {
                if (!part.isBlank()) {
                    out.add(part.strip());
                }
            }
        }
        return out;
    }

    private static Optional<String> text(YamlValue v) {
        return v == null ? Optional.empty() : v.text();
    }

    private static boolean bool(YamlValue v) {
        return v != null && v.bool().orElse(false);
    }

    private static Optional<Long> firstLong(YamlValue a, YamlValue b) {
        if (a != null && !a.isNull()) {
            return a.integer();
        }
        return b == null ? Optional.empty() : b.integer();
    }

    private static Optional<Long> integer(YamlValue v) {
        return v == null || v.isNull() ? Optional.empty() : v.integer();
    }

    private static Optional<Duration> nonNegativeSeconds(YamlValue v) {
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        double s = v.decimal().orElseThrow();
        if (s < 0) {
            throw v.error("must be a number of seconds >= 0");
        }
        return Optional.of(Duration.ofMillis(Math.round(s * 1000)));
    }

    private static Optional<Duration> seconds(YamlValue v) {
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        double s = v.decimal().orElseThrow();
        if (s <= 0) {
            throw v.error("must be a positive number of seconds");
        }
        return Optional.of(Duration.ofMillis(Math.round(s * 1000)));
    }

    private static OptionalInt positiveInt(YamlValue v) {
        if (v == null || v.isNull()) {
            return OptionalInt.empty();
        }
        long n = v.integer().orElseThrow();
        if (n <= 0 || n > Integer.MAX_VALUE) {
            throw v.error("must be a positive whole number");
        }
        return OptionalInt.of((int) n);
    }

    private static OptionalLong positiveLong(YamlValue v) {
        if (v == null || v.isNull()) {
            return OptionalLong.empty();
        }
        long n = v.integer().orElseThrow();
        if (n <= 0) {
            throw v.error("must be a positive whole number");
        }
        return OptionalLong.of(n);
    }

    private static Optional<Double> cost(YamlValue v) {
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        double d = v.decimal().orElseThrow();
        if (d < 0) {
            throw v.error("must not be negative");
        }
        return Optional.of(d);
    }
}

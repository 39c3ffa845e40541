package dev.llmhub.plugin.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmhub.api.Destination;
import dev.llmhub.api.ExportResult;
import dev.llmhub.plugin.testkit.TestPluginContext;
import dev.llmhub.testsupport.kafka.KafkaBroker;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SASL/PLAIN and ACLs on a real broker of its own: the right credentials deliver; a wrong password
 * and a missing permission are permanent failures whose messages and logs never show the password;
 * and an ACL granted afterwards works without restarting the proxy (the destination makes a new
 * producer after the idempotent one failed for good).
 */
class KafkaSecurityTest {
    private static final String TOPIC = "secure-calls";
    private static final String WRITER_PASSWORD = "writer-secret-Pq7Zr2";
    private static final String READER_PASSWORD = "reader-secret-Lm4Xc8";
    private static KafkaBroker broker;

    @BeforeAll
    static void startSecuredBroker() {
        broker = KafkaBroker.builder(Path.of("target/kafka-secure-work"))
                .saslPlainUsers(Map.of("writer", WRITER_PASSWORD, "reader", READER_PASSWORD))
                .withAcls()
                .build();
        Runtime.getRuntime().addShutdownHook(new Thread(broker::stop, "stop-secured-kafka"));
        broker.start();
        broker.createTopic(TOPIC, 1);
        allowWrite("writer");
    }

    @AfterAll
    static void stopBroker() {
        broker.stop();
    }

    @Test
    void theRightCredentialsAndAWriteAclDeliver() {
        TestPluginContext ctx = context("writer", WRITER_PASSWORD);
        try (Destination d = new KafkaDestinationFactory().create(ctx)) {
            assertEquals(ExportResult.success(), Exports.asTheLaneWould(d, KafkaDestinationTest.records(5)));
        }
        assertTrue(broker.recordCount(TOPIC) >= 5);
    }

    @Test
    void aWrongPasswordIsPermanentAndNeverShown() {
        String wrong = "wrong-password-Vt5Nb1";
        TestPluginContext ctx = context("writer", wrong);
        try (Destination d = new KafkaDestinationFactory().create(ctx)) {
            ExportResult r = d.export(KafkaDestinationTest.records(3));
            ExportResult.Permanent p = assertInstanceOf(ExportResult.Permanent.class, r, r.toString());
            assertTrue(p.reason().contains("refused the credentials"), p.reason());
            assertFalse(p.reason().contains(wrong), p.reason());
        }
        assertFalse(ctx.logger().lines().toString().contains(wrong), ctx.logger().lines().toString());
        assertEquals(3, ctx.metrics().count("messages_rejected"));
    }

    @Test
    void aMissingWritePermissionIsPermanentAndAnAclGrantedLaterWorksWithoutARestart() {
        TestPluginContext ctx = context("reader", READER_PASSWORD);
        try (Destination d = new KafkaDestinationFactory().create(ctx)) {
            ExportResult denied = d.export(KafkaDestinationTest.records(3));
            ExportResult.Permanent p = assertInstanceOf(ExportResult.Permanent.class, denied, denied.toString());
            assertTrue(p.reason().contains("denied the write"), p.reason());

            allowWrite("reader");
            assertEquals(ExportResult.success(), Exports.asTheLaneWould(d, KafkaDestinationTest.records(3)),
                    "after the ACL was granted");
        }
        assertFalse(ctx.logger().lines().toString().contains(READER_PASSWORD));
    }

    private static TestPluginContext context(String user, String password) {
        return TestPluginContext.of("kafka", Map.of("bootstrap_servers", broker.saslBootstrapServers(), "topic", TOPIC,
                "security_protocol", "SASL_PLAINTEXT", "sasl_username", user, "sasl_password", password,
                "export_timeout", "20s"), Map.of());
    }

    private static void allowWrite(String user) {
        ResourcePattern topic = new ResourcePattern(ResourceType.TOPIC, TOPIC, PatternType.LITERAL);
        List<AclBinding> acls = List.of(
                new AclBinding(topic, new AccessControlEntry("User:" + user, "*", AclOperation.WRITE, AclPermissionType.ALLOW)),
                new AclBinding(topic, new AccessControlEntry("User:" + user, "*", AclOperation.DESCRIBE, AclPermissionType.ALLOW)));
        try (Admin admin = broker.admin()) {
            admin.createAcls(acls).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("cannot create the ACLs for " + user, e);
        }
    }
}

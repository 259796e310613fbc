package dev.durablediffusion.workflows.webhook;

import java.util.List;

public record DeliveryReport(String webhookId, boolean delivered, List<DeliveryAttempt> attempts) {}

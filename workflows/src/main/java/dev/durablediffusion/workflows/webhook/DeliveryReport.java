package dev.durablediffusion.workflows.webhook;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

@JsonIgnoreProperties(ignoreUnknown = true)
public record DeliveryReport(String webhookId, boolean delivered, List<DeliveryAttempt> attempts) {}

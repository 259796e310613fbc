package dev.durablediffusion.workflows.fairshare;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Map;

/**
 * What a fair-share dispatcher knows, carried across continue-as-new and readable by query.
 *
 * @param waiting each tenant's waiting generations, oldest first, tenants in round-robin order
 * @param submittedAt when each waiting generation was submitted
 * @param holders the generations holding a turn, by tenant
 * @param window the latest window requesters asked for
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record FairShareState(
    Map<String, List<String>> waiting,
    Map<String, Long> submittedAt,
    Map<String, String> holders,
    int window) {

  public static FairShareState empty() {
    return new FairShareState(Map.of(), Map.of(), Map.of(), 1);
  }
}

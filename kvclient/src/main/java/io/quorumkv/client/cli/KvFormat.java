package io.quorumkv.client.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quorumkv.client.KvResult;
import io.quorumkv.common.time.Version;
import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.KvOp;
import io.quorumkv.common.wire.KvStatus;
import java.util.List;

/**
 * How key-value results look: exit codes, the one-line failure message, the JSON object, and the
 * shell's result line. The CLI and the shell share these so that both say the same thing.
 */
final class KvFormat {

  /** The shell's line for a read or update of a key that does not exist. */
  static final String NOT_FOUND_LINE = "(not found)";

  /** The shell's line for a successful write. */
  static final String OK_LINE = "OK";

  /** The shell's prefix of a failure line. */
  static final String ERROR_PREFIX = "ERROR: ";

  private KvFormat() {
  }

  /** 0 ok; 1 not found or exists; 2 invalid; 3 unavailable or overloaded. */
  static int exitCode(KvStatus status) {
    switch (status) {
      case OK:
        return ExitCode.OK;
      case NOT_FOUND:
      case EXISTS:
        return ExitCode.NOT_FOUND;
      case INVALID:
        return ExitCode.USAGE;
      case UNAVAILABLE:
      case OVERLOADED:
        return ExitCode.UNAVAILABLE;
      default:
        throw new IllegalStateException(status.name());
    }
  }

  /**
   * Why a result is not OK, in one line: "key 'k' not found", "unavailable: quorum not reached:
   * 1 of 2 replicas answered within 1000 ms", "invalid request: ...".
   */
  static String failure(String key, KvResult result) {
    String reason = result.reason();
    String retried = result.isAmbiguous()
        ? " (after a retry: an earlier attempt of this request may have been applied)" : "";
    switch (result.status()) {
      case NOT_FOUND:
        return (reason.isEmpty() ? "key '" + key + "' not found" : reason) + retried;
      case EXISTS:
        return (reason.isEmpty() ? "key '" + key + "' already exists" : reason) + retried;
      case INVALID:
        // A request refused by the client itself names its problem plainly, like a usage error.
        return result.sent() ? prefixed("invalid request", reason) : reason;
      default:
        return prefixed(result.status().wireName(), reason);
    }
  }

  /**
   * The JSON object of a result: status, key, value (null unless a value was read), version
   * (null when there is none) and reason (null for ok).
   */
  static ObjectNode json(KvOp op, String key, KvResult result) {
    ObjectNode object = Json.NODES.objectNode();
    object.put("status", result.status().wireName());
    object.put("key", key);
    if (result.isOk() && op == KvOp.READ) {
      object.put("value", result.value());
    } else {
      object.putNull("value");
    }
    if (result.version().equals(Version.ZERO)) {
      object.putNull("version");
    } else {
      ObjectNode version = object.putObject("version");
      version.put("timestamp", result.version().timestamp());
      version.put("writer", result.version().writer().toString());
    }
    if (result.isOk()) {
      object.putNull("reason");
    } else {
      object.put("reason", failure(key, result));
    }
    return object;
  }

  /** An array of "host:port" strings, primary first. */
  static ArrayNode json(List<Address> replicas) {
    ArrayNode array = Json.NODES.arrayNode();
    replicas.forEach(r -> array.add(r.toString()));
    return array;
  }

  /** The JSON object of a shell line that failed before any coordinator answered. */
  static ObjectNode jsonError(String reason) {
    ObjectNode object = Json.NODES.objectNode();
    object.put("status", "error");
    object.put("reason", reason);
    return object;
  }

  /**
   * The shell's one line for a result: the value read (quoted when it could be mistaken for
   * another result or spans lines), "OK", "(not found)", or "ERROR: reason".
   */
  static String shellLine(KvOp op, String key, KvResult result) {
    if (result.isOk()) {
      return op == KvOp.READ ? ShellWords.quoteIfNeeded(result.value()) : OK_LINE;
    }
    if (result.status() == KvStatus.NOT_FOUND) {
      return NOT_FOUND_LINE;
    }
    // A key with a newline in it would otherwise split the line the caller pairs with its command.
    return ERROR_PREFIX + ShellWords.escapeControls(failure(key, result));
  }

  private static String prefixed(String prefix, String reason) {
    return reason.isEmpty() ? prefix : prefix + ": " + reason;
  }
}

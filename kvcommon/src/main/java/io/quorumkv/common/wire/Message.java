package io.quorumkv.common.wire;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * Every message QuorumKV puts in a datagram. The set is closed: the sealed interface lists the
 * records and {@link JsonSubTypes} lists the same records with their wire names, so a datagram
 * can only ever become one of these types (no default typing, no class names on the wire).
 *
 * <p>Wire names are append-only: a name, once shipped, keeps its meaning. Changing a record's
 * fields incompatibly means a new {@link Envelope#CURRENT_VERSION}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = Ping.class, name = "ping"),
    @JsonSubTypes.Type(value = Ack.class, name = "ack"),
    @JsonSubTypes.Type(value = PingReq.class, name = "ping-req"),
    @JsonSubTypes.Type(value = Nack.class, name = "nack"),
    @JsonSubTypes.Type(value = Gossip.class, name = "gossip"),
    @JsonSubTypes.Type(value = SyncRequest.class, name = "sync"),
    @JsonSubTypes.Type(value = SyncReply.class, name = "sync-reply"),
    @JsonSubTypes.Type(value = StatusRequest.class, name = "status"),
    @JsonSubTypes.Type(value = StatusReply.class, name = "status-reply"),
    @JsonSubTypes.Type(value = KvRequest.class, name = "kv"),
    @JsonSubTypes.Type(value = KvReply.class, name = "kv-reply"),
    @JsonSubTypes.Type(value = LocateRequest.class, name = "locate"),
    @JsonSubTypes.Type(value = LocateReply.class, name = "locate-reply"),
    @JsonSubTypes.Type(value = ReplicaWrite.class, name = "replica-write"),
    @JsonSubTypes.Type(value = ReplicaWriteReply.class, name = "replica-write-reply"),
    @JsonSubTypes.Type(value = ReplicaRead.class, name = "replica-read"),
    @JsonSubTypes.Type(value = ReplicaReadReply.class, name = "replica-read-reply"),
    @JsonSubTypes.Type(value = Handoff.class, name = "handoff"),
    @JsonSubTypes.Type(value = HandoffAck.class, name = "handoff-ack"),
    @JsonSubTypes.Type(value = Offer.class, name = "offer"),
    @JsonSubTypes.Type(value = OfferReply.class, name = "offer-reply"),
    @JsonSubTypes.Type(value = ReplicaCheck.class, name = "replica-check"),
    @JsonSubTypes.Type(value = ReplicaCommit.class, name = "replica-commit"),
    @JsonSubTypes.Type(value = AeDigest.class, name = "ae-digest"),
    @JsonSubTypes.Type(value = AeBucket.class, name = "ae-bucket"),
})
public sealed interface Message
    permits Ping, Ack, PingReq, Nack, Gossip, SyncRequest, SyncReply, StatusRequest, StatusReply,
    KvRequest, KvReply, LocateRequest, LocateReply, ReplicaWrite, ReplicaWriteReply, ReplicaRead,
    ReplicaReadReply, Handoff, HandoffAck, Offer, OfferReply, ReplicaCheck, ReplicaCommit,
    AeDigest, AeBucket {
}

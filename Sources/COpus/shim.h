#include <opus/opus.h>

// opus_encoder_ctl / opus_decoder_ctl are variadic, which Swift cannot call; each wrapper
// below forwards exactly one request with its checked argument type and returns the
// libopus result code (OPUS_OK or a negative error).

/// Target bitrate in bits per second (OPUS_SET_BITRATE; also OPUS_AUTO / OPUS_BITRATE_MAX).
static inline int tessera_opus_set_bitrate(OpusEncoder *encoder, opus_int32 bitrate) {
    return opus_encoder_ctl(encoder, OPUS_SET_BITRATE(bitrate));
}

/// Encoder computational complexity, 0 (fastest) … 10 (best) (OPUS_SET_COMPLEXITY).
static inline int tessera_opus_set_complexity(OpusEncoder *encoder, opus_int32 complexity) {
    return opus_encoder_ctl(encoder, OPUS_SET_COMPLEXITY(complexity));
}

/// The encoder's complexity now (OPUS_GET_COMPLEXITY).
static inline int tessera_opus_get_complexity(OpusEncoder *encoder, opus_int32 *complexity) {
    return opus_encoder_ctl(encoder, OPUS_GET_COMPLEXITY(complexity));
}

/// In-band forward error correction: 0 off, 1 on (OPUS_SET_INBAND_FEC, RFC 6716 §2.1.7).
static inline int tessera_opus_set_inband_fec(OpusEncoder *encoder, opus_int32 enabled) {
    return opus_encoder_ctl(encoder, OPUS_SET_INBAND_FEC(enabled));
}

/// Expected packet loss in percent, 0 … 100; FEC is only emitted when this is > 0
/// (OPUS_SET_PACKET_LOSS_PERC).
static inline int tessera_opus_set_packet_loss_perc(OpusEncoder *encoder, opus_int32 percent) {
    return opus_encoder_ctl(encoder, OPUS_SET_PACKET_LOSS_PERC(percent));
}

/// Discontinuous transmission during silence: 0 off, 1 on (OPUS_SET_DTX).
static inline int tessera_opus_set_dtx(OpusEncoder *encoder, opus_int32 enabled) {
    return opus_encoder_ctl(encoder, OPUS_SET_DTX(enabled));
}

/// Encoder delay in samples at 48 kHz, for aligning decoded output with the input
/// (OPUS_GET_LOOKAHEAD).
static inline int tessera_opus_get_lookahead(OpusEncoder *encoder, opus_int32 *samples) {
    return opus_encoder_ctl(encoder, OPUS_GET_LOOKAHEAD(samples));
}

/// Duration in samples per channel of the last packet decoded or concealed, the frame size
/// to use for the next PLC call (OPUS_GET_LAST_PACKET_DURATION).
static inline int tessera_opus_decoder_get_last_packet_duration(OpusDecoder *decoder, opus_int32 *samples) {
    return opus_decoder_ctl(decoder, OPUS_GET_LAST_PACKET_DURATION(samples));
}

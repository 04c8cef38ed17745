#include <openssl/ssl.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/ec.h>
#include <openssl/rand.h>
#include <openssl/opensslv.h>

/*
 * Macro wrappers for TesseraTransport/DTLS. Swift cannot call C function-like macros
 * (nor the variadic EVP_PKEY_Q_keygen behind EVP_EC_gen), and cannot import constants
 * built with casts such as SSL_OP_BIT(n); each wrapper below exposes exactly one macro.
 */

/* EVP_EC_gen is a macro over the variadic EVP_PKEY_Q_keygen, which Swift cannot call. */
static inline EVP_PKEY *tessera_EVP_EC_gen(const char *curve) {
    return EVP_EC_gen(curve);
}

/* SSL_CTX_set_min_proto_version is a macro over SSL_CTX_ctrl. */
static inline int tessera_SSL_CTX_set_min_proto_version(SSL_CTX *ctx, int version) {
    return (int)SSL_CTX_set_min_proto_version(ctx, version);
}

/* SSL_OP_NO_QUERY_MTU is SSL_OP_BIT(12), a cast expression Swift does not import. */
static inline uint64_t tessera_SSL_OP_NO_QUERY_MTU(void) {
    return SSL_OP_NO_QUERY_MTU;
}

/* SSL_OP_NO_TICKET is SSL_OP_BIT(14), a cast expression Swift does not import. */
static inline uint64_t tessera_SSL_OP_NO_TICKET(void) {
    return SSL_OP_NO_TICKET;
}

/* SSL_OP_NO_RENEGOTIATION is SSL_OP_BIT(30), a cast expression Swift does not import. */
static inline uint64_t tessera_SSL_OP_NO_RENEGOTIATION(void) {
    return SSL_OP_NO_RENEGOTIATION;
}

/* DTLS_set_link_mtu is a macro over SSL_ctrl. */
static inline int tessera_DTLS_set_link_mtu(SSL *ssl, long mtu) {
    return (int)DTLS_set_link_mtu(ssl, mtu);
}

/*
 * DTLSv1_get_timeout is a macro over SSL_ctrl. Returns 1 and the time left in
 * *microseconds while a retransmission timer runs, else 0; flattening the struct timeval
 * keeps Glibc/Darwin types out of the Swift side.
 */
static inline int tessera_DTLSv1_get_timeout(SSL *ssl, int64_t *microseconds) {
    struct timeval tv = {0, 0};
    if (DTLSv1_get_timeout(ssl, &tv) != 1) {
        return 0;
    }
    *microseconds = (int64_t)tv.tv_sec * 1000000 + (int64_t)tv.tv_usec;
    return 1;
}

/* DTLSv1_handle_timeout is a macro over SSL_ctrl. */
static inline int tessera_DTLSv1_handle_timeout(SSL *ssl) {
    return (int)DTLSv1_handle_timeout(ssl);
}

/* BIO_set_retry_read is a macro over BIO_set_flags (for a custom BIO's read callback). */
static inline void tessera_BIO_set_retry_read(BIO *bio) {
    BIO_set_retry_read(bio);
}

/* BIO_clear_retry_flags is a macro over BIO_clear_flags (for a custom BIO's callbacks). */
static inline void tessera_BIO_clear_retry_flags(BIO *bio) {
    BIO_clear_retry_flags(bio);
}

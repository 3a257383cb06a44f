package io.jlvs.healthcheck;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The TLS client {@code SSL_GET} uses: like keepalived without an {@code SSL { ca ... }} section, it accepts whatever
 * certificate the real server presents. The check asks "does the server answer over TLS", not "is it who it claims";
 * real servers are commonly reached by address with certificates issued for the service name.
 */
final class TrustAnyCertificate extends X509ExtendedTrustManager
{
    private static final X509Certificate[] NO_ISSUERS = new X509Certificate[0];

    private TrustAnyCertificate()
    {
    }

    /** A socket factory whose sockets complete a handshake with any server certificate. */
    static SSLSocketFactory socketFactory()
    {
        return Holder.FACTORY;
    }

    @Override
    public void checkClientTrusted(final X509Certificate[] chain, final String authType)
    {
    }

    @Override
    public void checkServerTrusted(final X509Certificate[] chain, final String authType)
    {
    }

    @Override
    public void checkClientTrusted(final X509Certificate[] chain, final String authType, final Socket socket)
    {
    }

    @Override
    public void checkServerTrusted(final X509Certificate[] chain, final String authType, final Socket socket)
    {
    }

    @Override
    public void checkClientTrusted(final X509Certificate[] chain, final String authType, final SSLEngine engine)
    {
    }

    @Override
    public void checkServerTrusted(final X509Certificate[] chain, final String authType, final SSLEngine engine)
    {
    }

    @Override
    public X509Certificate[] getAcceptedIssuers()
    {
        return NO_ISSUERS;
    }

    /** Built on first use: a director without SSL_GET never initialises JSSE. */
    private static final class Holder
    {
        static final SSLSocketFactory FACTORY = create();

        private static SSLSocketFactory create()
        {
            try
            {
                final SSLContext context = SSLContext.getInstance("TLS");
                context.init(null, new TrustManager[] {new TrustAnyCertificate()}, null);
                return context.getSocketFactory();
            }
            catch (final GeneralSecurityException ex)
            {
                throw new IllegalStateException("the JDK offers no TLS client context", ex);
            }
        }
    }
}

package dev.gantry.bench;

import dev.gantry.config.GatewayConfig.NetworkTransport;
import dev.gantry.server.http.EventLoopTransport;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.FastThreadLocal;
import io.vertx.core.transport.Transport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * Calibration, not product: {@link BareProxy}'s featureless pass-through written on Netty's own HTTP
 * codecs, without Vert.x's HTTP server and client in between (same key check, same look into the
 * body, same usage window, idle upstream connections kept per event loop, the answer relayed as it
 * comes with back-pressure, a client that goes away closes its upstream connection). Same transport
 * as {@code gantry serve} picks, same JVM flags. {@code bench/run --against-netty-proxy} measures it
 * in Gantry's place: beside {@code --against-bare-proxy} it says how much of a proxy's cost on a
 * machine is the JVM and Netty, and how much Vert.x's layers above them.
 *
 * <p>Prints {@code bare proxy listening on PORT, transport NAME}, as {@link BareProxy} does.
 */
public final class NettyBareProxy {
    private static final int MAX_BODY = 16 * 1024 * 1024;

    private NettyBareProxy() {}

    public static void main(String[] args) throws Exception {
        CalibrationProxy proxy = CalibrationProxy.fromArgs(args);
        UsageTail.startReader();
        Transport transport = EventLoopTransport.pick(NetworkTransport.AUTO); // as gantry serve picks it
        var netty = transport.implementation();
        var loops = new MultiThreadIoEventLoopGroup(proxy.loops(), netty.ioHandlerFactory());
        Upstream upstream = new Upstream(new Bootstrap().channelFactory(netty.channelFactory(false))
                .option(ChannelOption.TCP_NODELAY, true), proxy.upstream().getHost(), proxy.upstream().getPort());
        new ServerBootstrap().group(loops).channelFactory(netty.serverChannelFactory(false))
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(MAX_BODY),
                                new Front(Set.of(proxy.key()), upstream));
                    }
                })
                .bind("127.0.0.1", proxy.port()).sync();
        proxy.listening(transport.name());
        new CountDownLatch(1).await();
    }

    /** Connections to the upstream: idle ones kept per event loop, so a request never leaves its loop. */
    private static final class Upstream {
        private final FastThreadLocal<ArrayDeque<Channel>> idle = new FastThreadLocal<>() {
            @Override
            protected ArrayDeque<Channel> initialValue() {
                return new ArrayDeque<>();
            }
        };
        private final Bootstrap bootstrap;
        private final String host;
        private final int port;

        Upstream(Bootstrap bootstrap, String host, int port) {
            this.bootstrap = bootstrap;
            this.host = host;
            this.port = port;
        }

        /** Sends {@code request} for {@code front}, on an idle connection of front's loop or a new one. */
        void send(FullHttpRequest request, Channel front) {
            request.headers().set(HttpHeaderNames.HOST, host + ":" + port);
            ArrayDeque<Channel> pool = idle.get();
            Channel channel;
            while ((channel = pool.pollLast()) != null) {
                if (channel.isActive()) {
                    writeTo(channel, request, front);
                    return;
                }
            }
            bootstrap.clone(front.eventLoop()).handler(new ChannelInitializer<>() {
                @Override
                protected void initChannel(Channel ch) {
                    ch.pipeline().addLast(new HttpClientCodec(), new Back(Upstream.this));
                }
            }).connect(host, port).addListener((ChannelFutureListener) connected -> {
                if (connected.isSuccess()) {
                    writeTo(connected.channel(), request, front);
                } else {
                    request.release();
                    answer(front, HttpResponseStatus.BAD_GATEWAY, "upstream failed");
                }
            });
        }

        private void writeTo(Channel channel, FullHttpRequest request, Channel front) {
            if (!front.isActive()) { // the client went away while a connection was being made
                request.release();
                release(channel);
                return;
            }
            front.pipeline().get(Front.class).serving = channel;
            channel.pipeline().get(Back.class).serve(front);
            channel.writeAndFlush(request);
        }

        void release(Channel channel) {
            idle.get().addLast(channel);
        }
    }

    /** A client connection: checks the key, looks into the body, hands the request upstream. */
    private static final class Front extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final Set<String> keys;
        private final Upstream upstream;
        /** The upstream connection serving this client's current request, until its answer ends. */
        Channel serving;

        Front(Set<String> keys, Upstream upstream) {
            this.keys = keys;
            this.upstream = upstream;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            String auth = request.headers().get(HttpHeaderNames.AUTHORIZATION);
            if (auth == null || !auth.startsWith("Bearer ") || !keys.contains(auth.substring(7))) {
                answer(ctx.channel(), HttpResponseStatus.UNAUTHORIZED, "bad key");
                return;
            }
            try {
                CalibrationProxy.isStream(ByteBufUtil.getBytes(request.content()));
            } catch (IOException e) {
                answer(ctx.channel(), HttpResponseStatus.BAD_REQUEST, "bad json");
                return;
            }
            var out = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, request.uri(), request.content().retain());
            out.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                    .set(HttpHeaderNames.AUTHORIZATION, "Bearer sk-upstream")
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, out.content().readableBytes());
            upstream.send(out, ctx.channel());
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (serving != null) serving.config().setAutoRead(ctx.channel().isWritable());
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (serving != null) serving.close(); // the client went away mid-answer: stop the upstream's work
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** An upstream connection: relays each answer to the client it serves. */
    private static final class Back extends SimpleChannelInboundHandler<HttpObject> {
        private final Upstream upstream;
        private Channel front;
        private UsageTail tail;
        private boolean reusable;

        Back(Upstream upstream) {
            super(false); // the answer's buffers are passed on, not copied
            this.upstream = upstream;
        }

        void serve(Channel client) {
            front = client;
            tail = new UsageTail();
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
            if (msg instanceof HttpResponse head) {
                reusable = HttpUtil.isKeepAlive(head);
                var out = new DefaultHttpResponse(HttpVersion.HTTP_1_1, head.status());
                String type = head.headers().get(HttpHeaderNames.CONTENT_TYPE);
                if (type != null) out.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
                String length = head.headers().get(HttpHeaderNames.CONTENT_LENGTH);
                if (length != null) out.headers().set(HttpHeaderNames.CONTENT_LENGTH, length);
                else HttpUtil.setTransferEncodingChunked(out, true);
                front.write(out);
            }
            if (msg instanceof HttpContent content) {
                tail.add(content.content());
                front.writeAndFlush(content);
                if (!front.isWritable()) ctx.channel().config().setAutoRead(false);
                if (content instanceof LastHttpContent) {
                    tail.end();
                    Front client = front.pipeline().get(Front.class); // null once the client's channel closed
                    if (client != null) client.serving = null;
                    front = null;
                    if (reusable) upstream.release(ctx.channel());
                    else ctx.close();
                }
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (front != null) front.close(); // the upstream went away mid-answer
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    private static void answer(Channel channel, HttpResponseStatus status, String message) {
        var response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer("{\"error\":{\"message\":\"" + message + "\"}}", StandardCharsets.UTF_8));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
        channel.writeAndFlush(response);
    }
}

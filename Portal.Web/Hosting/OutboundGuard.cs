using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Portal.Web.Hosting;

/// <summary>CIDR blocks from configuration, parsed once; an IPv4 address written as IPv6 is matched as IPv4.</summary>
public sealed class NetworkList(IEnumerable<string> cidrs)
{
    private readonly IReadOnlyList<IPNetwork> _networks = cidrs.Select(IPNetwork.Parse).ToList();

    public bool Contains(IPAddress address) =>
        _networks.Any(n => n.Contains(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address));

    public static bool AreValid(IEnumerable<string> cidrs) => cidrs.All(c => IPNetwork.TryParse(c, out _));
}

/// <summary>Networks an administrator allows outbound requests to despite being internal (e.g. a webhook receiver on the LAN).</summary>
public sealed class OutboundOptions
{
    public const string Section = "Outbound";

    /// <summary>CIDR blocks, e.g. "10.20.0.0/16" or "127.0.0.1/32". Empty by default: nothing internal is reached.</summary>
    public List<string> AllowedNetworks { get; set; } = [];
}

/// <summary>
/// The portal's requests to addresses its API clients give (webhooks, reprinter page re-checks) reach only public
/// addresses over http or https: never loopback, private, link-local, carrier-grade NAT, multicast or unspecified ones,
/// unless allow-listed. The address is checked when the connection is made, after the name was resolved, so a name
/// that resolves to an internal address, a redirect to one and DNS rebinding are all refused.
/// </summary>
public sealed class OutboundGuard(IOptions<OutboundOptions> options)
{
    private readonly NetworkList _allowed = new(options.Value.AllowedNetworks);

    private static readonly IPNetwork[] Internal =
    [
        IPNetwork.Parse("0.0.0.0/8"), IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("100.64.0.0/10"), IPNetwork.Parse("127.0.0.0/8"),
        IPNetwork.Parse("169.254.0.0/16"), IPNetwork.Parse("172.16.0.0/12"), IPNetwork.Parse("192.0.0.0/24"), IPNetwork.Parse("192.168.0.0/16"),
        IPNetwork.Parse("198.18.0.0/15"), IPNetwork.Parse("224.0.0.0/4"), IPNetwork.Parse("240.0.0.0/4"),
        IPNetwork.Parse("::/96"),           // unspecified, loopback and the deprecated IPv4-compatible addresses
        IPNetwork.Parse("64:ff9b:1::/48"),  // local-use NAT64
        IPNetwork.Parse("100::/64"),        // discard-only
        IPNetwork.Parse("2001::/32"),       // Teredo: its embedded IPv4 address is obfuscated
        IPNetwork.Parse("2001:db8::/32"),   // documentation
        IPNetwork.Parse("fc00::/7"), IPNetwork.Parse("fe80::/10"), IPNetwork.Parse("fec0::/10"), IPNetwork.Parse("ff00::/8"),
    ];

    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96"), SixToFour = IPNetwork.Parse("2002::/16"),
        Siit = IPNetwork.Parse("::ffff:0:0:0/96");

    /// <summary>True when the portal may connect to this address.</summary>
    public bool Permits(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (_allowed.Contains(address)) return true;
        // NAT64 and 6to4 reach the IPv4 address inside them: that one decides.
        if (Embedded(address) is { } inner) return Permits(inner);
        return !Internal.Any(n => n.Contains(address));
    }

    /// <summary>The IPv4 address a NAT64 (64:ff9b::/96) or SIIT (::ffff:0:0:0/96) address carries in its last 32 bits, or a 6to4 one (2002::/16) in bits 16–47; else null.</summary>
    private static IPAddress? Embedded(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return null;
        var bytes = address.GetAddressBytes();
        if (Nat64.Contains(address) || Siit.Contains(address)) return new IPAddress(bytes.AsSpan(12, 4));
        if (SixToFour.Contains(address)) return new IPAddress(bytes.AsSpan(2, 4));
        return null;
    }

    /// <summary>Why a URL an administrator registers cannot be used, or null: http/https only, and no internal address written into it.</summary>
    public string? Refusal(string? url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            return "地址应为 http:// 或 https:// 开头的完整网址";
        if (IPAddress.TryParse(uri.IdnHost, out var literal) && !Permits(literal))
            return $"地址 {uri.Host} 是内部网络地址（本机、内网、链路本地或组播），门户不会向其发送请求；如确需使用，请由运维在 Outbound:AllowedNetworks 中放行";
        return null;
    }

    /// <summary>The handler every outbound client uses: resolves the name, refuses internal addresses, connects to the first permitted one.</summary>
    public SocketsHttpHandler Handler() => new()
    {
        AllowAutoRedirect = true, // each redirect's connection passes through ConnectCallback again
        MaxAutomaticRedirections = 3,
        ConnectCallback = async (context, ct) =>
        {
            var addresses = IPAddress.TryParse(context.DnsEndPoint.Host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, ct);
            var permitted = addresses.Where(Permits).ToList();
            if (permitted.Count == 0)
                throw new HttpRequestException($"refused: {context.DnsEndPoint.Host} resolves only to internal addresses");
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(permitted.ToArray(), context.DnsEndPoint.Port, ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };
}

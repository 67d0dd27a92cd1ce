using System.Text;
using ComposeFix.Engine;

namespace ComposeFix.Tests;

/// <summary>Documents for the language server tests.</summary>
internal static class LspTestFiles
{
    /// <summary>
    /// A realistic 1,000-line compose file: 37 services of 22 lines, 15 of them already hardened
    /// by ComposeFix (as a project that adopted it would be), the second half new and unhardened.
    /// </summary>
    public static string ThousandLines()
    {
        var hardened = Services("app", 15);
        var result = new FixEngine().Run("compose.yml", Encoding.UTF8.GetBytes("services:\n" + hardened), new FixOptions { UnsafeFixes = true, Skip = new HashSet<string> { "split-networks" } });
        Assert.Equal(FileStatus.Changed, result.Status);
        return result.NewText + Services("new", 22) + "networks:\n  web: {}\n";
    }

    private static string Services(string prefix, int count)
    {
        var text = new StringBuilder();
        for (int i = 0; i < count; i++)
        {
            string name = $"{prefix}{i}";
            text.Append($"""
                  {name}:
                    image: nginx:1.27
                    container_name: {name}
                    restart: unless-stopped
                    ports:
                      - "{8000 + i}:80"
                    environment:
                      TZ: Europe/Berlin
                      LOG_LEVEL: info
                      WORKERS: "4"
                    labels:
                      traefik.enable: "true"
                      traefik.http.routers.{name}.rule: Host(`{name}.example.org`)
                    volumes:
                      - ./{name}/conf.d:/etc/nginx/conf.d:ro
                    networks:
                      - web
                    healthcheck:
                      test: ["CMD", "curl", "-f", "http://localhost"]
                      interval: 30s
                    # {name} is served by traefik

                """);
        }

        return text.ToString();
    }
}

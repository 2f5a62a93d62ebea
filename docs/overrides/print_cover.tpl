{#- The cover of the print page (mkdocs-print-site-plugin's cover_page_template, see mkdocs.yml). -#}
{%- set build = config.extra.build or {} -%}
<h1>{{ config.site_name }}</h1>
<p class="sav-cover__subtitle">{{ config.site_description }}</p>
<table>
  <tr><td>Version</td><td>{{ build.version }} (commit <code>{{ build.commit }}</code>, {{ build.date }})</td></tr>
  <tr><td>Authors</td><td>{{ build.authors }}</td></tr>
  {%- if build.site_url %}
  <tr><td>Online</td><td><a href="{{ build.site_url }}">{{ build.site_url }}</a></td></tr>
  {%- else %}
  <tr><td>Online</td><td>{{ build.where }}</td></tr>
  {%- endif %}
  {%- if build.repo_url %}
  <tr><td>Sources</td><td><a href="{{ build.repo_url }}">{{ build.repo_url }}</a></td></tr>
  {%- endif %}
  <tr><td>Licence</td><td>{{ config.copyright }}</td></tr>
</table>
